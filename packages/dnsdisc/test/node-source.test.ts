import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { bytesToHex, generatePrivateKey } from '@ethp2p/crypto';
import { Enr, Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { DnsClient, type DnsClientOptions } from '../src/client.ts';
import type { DnsNodeSource } from '../src/node-source.ts';
import { Tree } from '../src/tree.ts';
import { testNodes } from './helpers/nodes.ts';
import { MapResolver } from './helpers/resolver.ts';
import { signingKey } from './vectors/geth.ts';

const RECHECK_MS = 20 * 60_000;

function makeTree(domain: string, nodes: readonly Node[], links: readonly string[] = []) {
  const { tree, url } = Tree.make(1, nodes, links).sign(signingKey, domain);
  return { tree, url, txt: tree.toTxt(domain) };
}

function client(resolver: MapResolver, options: DnsClientOptions = {}): DnsClient {
  return new DnsClient({
    resolver,
    rateLimit: Number.POSITIVE_INFINITY,
    recheckIntervalMs: RECHECK_MS,
    ...options,
  });
}

/**
 * Reads random nodes until every wanted node came, at most 3 reads per node (geth
 * `checkIterator`); an ended stream is reopened, as the dial scheduler does, and counts as a read.
 */
async function checkIterator(
  source: DnsNodeSource,
  want: readonly Node[],
  maxCalls = want.length * 3,
): Promise<void> {
  const missing = new Set(want.map((n) => bytesToHex(n.id)));
  let iterator = source.randomNodes()[Symbol.asyncIterator]();
  for (let calls = 0; missing.size > 0 && calls < maxCalls; calls++) {
    const next = await iterator.next();
    if (next.done) iterator = source.randomNodes()[Symbol.asyncIterator]();
    else missing.delete(bytesToHex(next.value.id));
  }
  await iterator.return?.(undefined);
  expect(missing.size).toBe(0);
}

/** Half the nodes signed again with a new IP and seq 55 (geth `updateSomeNodes`). */
function updateSomeNodes(keys: readonly Uint8Array[], nodes: Node[]): void {
  for (let i = 0; i < nodes.length / 2; i++) {
    const key = keys[i] ?? new Uint8Array(32);
    nodes[i] = Node.fromEnr(Enr.sign({ seq: 55n, entries: { ip: '127.0.0.1' } }, key));
  }
}

function keyedNodes(n: number): { keys: Uint8Array[]; nodes: Node[] } {
  const keys = Array.from({ length: n }, () => generatePrivateKey());
  return { keys, nodes: keys.map((k, i) => Node.fromEnr(Enr.sign({ seq: BigInt(i) }, k))) };
}

describe('DnsNodeSource', () => {
  it('finds every node of a tree (geth TestIterator)', async () => {
    const nodes = testNodes(30);
    const { url, txt } = makeTree('n', nodes);
    await checkIterator(client(new MapResolver(txt)).nodeSource([url]), nodes);
  });

  it('follows links to other trees (geth TestIteratorLinks)', async () => {
    const nodes = testNodes(40);
    const t1 = makeTree('t1', nodes.slice(0, 10));
    const t2 = makeTree('t2', nodes.slice(10), [t1.url]);
    const source = client(new MapResolver(t1.txt, t2.txt)).nodeSource([t2.url]);
    await checkIterator(source, nodes);
    expect(source.trees()).toEqual([t1.url, t2.url].sort());
  });

  it('checks the root again after the recheck interval (geth TestIteratorNodeUpdates)', async () => {
    const clock = new SimulatedClock();
    const { keys, nodes } = keyedNodes(30);
    const resolver = new MapResolver();
    const source = client(resolver, { clock }).nodeSource([makeTree('n', nodes.slice(0, 25)).url]);
    resolver.add(makeTree('n', nodes.slice(0, 25)).txt);
    await checkIterator(source, nodes.slice(0, 25));

    updateSomeNodes(keys, nodes);
    resolver.clear();
    resolver.add(makeTree('n', nodes).txt);
    clock.advance(RECHECK_MS + 1000);
    await checkIterator(source, nodes);
  });

  it('checks the root again after leaf failures (geth TestIteratorRootRecheckOnFail)', async () => {
    const { keys, nodes } = keyedNodes(30);
    const resolver = new MapResolver(makeTree('n', nodes.slice(0, 25)).txt);
    // No cache, or the client would not notice that leaves are gone.
    const source = client(resolver, { cacheLimit: 1 }).nodeSource([makeTree('n', []).url]);
    await checkIterator(source, nodes.slice(0, 25));

    updateSomeNodes(keys, nodes);
    resolver.clear();
    resolver.add(makeTree('n', nodes).txt);
    await checkIterator(source, nodes);
  });

  it('ends on an empty tree and finds the node once the root changes (geth TestIteratorEmptyTree)', async () => {
    const clock = new SimulatedClock();
    const [node] = testNodes(1);
    const empty = makeTree('n', []);
    const resolver = new MapResolver(empty.txt);
    const source = client(resolver, { clock }).nodeSource([empty.url]);
    const first = await source.randomNodes()[Symbol.asyncIterator]().next();
    expect(first.done).toBe(true);

    resolver.add(makeTree('n', node === undefined ? [] : [node]).txt);
    const early = await source.randomNodes()[Symbol.asyncIterator]().next();
    expect(early.done).toBe(true);
    clock.advance(RECHECK_MS);
    const next = await source.randomNodes()[Symbol.asyncIterator]().next();
    expect(next.done === false && bytesToHex(next.value.id)).toBe(
      bytesToHex(node?.id ?? new Uint8Array()),
    );
  });

  it('follows link changes and drops unlinked trees (geth TestIteratorLinkUpdates)', async () => {
    const clock = new SimulatedClock();
    const nodes = testNodes(30);
    const t3 = makeTree('t3', nodes.slice(20, 30));
    const t2 = makeTree('t2', nodes.slice(10, 20));
    let t1 = makeTree('t1', nodes.slice(0, 10), [t2.url]);
    const resolver = new MapResolver(t1.txt, t2.txt, t3.txt);
    const source = client(resolver, { clock }).nodeSource([t1.url]);
    await checkIterator(source, nodes.slice(0, 20));

    t1 = makeTree('t1', nodes.slice(0, 10), [t3.url]);
    resolver.add(t1.txt);
    clock.advance(RECHECK_MS + 1000);
    await checkIterator(source, [...t1.tree.nodes(), ...t3.tree.nodes()]);
    expect(source.trees()).toEqual([t1.url, t3.url].sort());
  });

  it('follows at most maxTrees trees however many are linked', async () => {
    const leaves = Array.from({ length: 5 }, (_, i) => makeTree(`l${i}`, testNodes(1)));
    const hub = makeTree(
      'hub',
      testNodes(1),
      leaves.map((l) => l.url),
    );
    const resolver = new MapResolver(hub.txt, ...leaves.map((l) => l.txt));
    const source = client(resolver, { maxTrees: 3 }).nodeSource([hub.url]);
    // The hub's links are all read before its nodes.
    await checkIterator(source, hub.tree.nodes(), 50);
    expect(source.trees()).toHaveLength(3);
    expect(source.trees()).toContain(hub.url);
  });

  it('ends when the DNS server fails, instead of spinning', async () => {
    const { url } = makeTree('n', testNodes(3));
    const resolver = new MapResolver();
    const source = client(resolver).nodeSource([url]);
    const first = await source.randomNodes()[Symbol.asyncIterator]().next();
    expect(first.done).toBe(true);
    expect(resolver.queried).toEqual(['n']);
  });

  it('yields at most 16 nodes per lookup and resolves newer records from its cache', async () => {
    const { nodes } = keyedNodes(40);
    const resolver = new MapResolver(makeTree('n', nodes).txt);
    const source = client(resolver).nodeSource([makeTree('n', []).url]);
    const found: Node[] = [];
    for await (const node of source.lookup()) found.push(node);
    expect(found).toHaveLength(16);
    // Node i of the tree has seq i: take one with seq > 0, so an older copy (seq 0) exists.
    const seen = found.find((n) => n.seq > 0n);
    const i = nodes.findIndex((n) => bytesToHex(n.id) === bytesToHex(seen?.id ?? new Uint8Array()));
    const older = Node.fromPublicKey(nodes[i]?.publicKey ?? new Uint8Array(64));
    expect((await source.resolve(older))?.seq).toBe(nodes[i]?.seq);
    expect(await source.resolve(nodes[i] ?? older)).toBeUndefined();
  });

  it('ends its iterator when the signal aborts', async () => {
    const clock = new SimulatedClock();
    const { url, txt } = makeTree('n', testNodes(30));
    // One query per second and a burst of 10: the 12th read waits on the clock.
    const source = client(new MapResolver(txt), { clock, rateLimit: 1 }).nodeSource([url]);
    const controller = new AbortController();
    const read: Node[] = [];
    const done = (async () => {
      for await (const node of source.randomNodes({ signal: controller.signal })) read.push(node);
    })();
    await waitFor(() => clock.pending > 0, { what: 'the rate limit holds the reader' });
    const held = read.length;
    expect(held).toBeLessThan(10);
    clock.advance(1000);
    await waitFor(() => read.length > held || clock.pending > 0, { what: 'one more read' });
    controller.abort();
    await done;
    expect(clock.pending).toBe(0);
  });
});
