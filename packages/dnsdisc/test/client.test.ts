import { SimulatedClock } from '@ethp2p/base';
import { nextTurn, rejectedError, waitFor } from '@ethp2p/base/testing';
import { hexToBytes, keccak256, signRecoverable } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { DnsClient, type DnsClientOptions } from '../src/client.ts';
import { entryHash, formatRoot, rootSigningText } from '../src/entries.ts';
import { DnsDiscError } from '../src/errors.ts';
import { Tree } from '../src/tree.ts';
import { testNodes } from './helpers/nodes.ts';
import { MapResolver } from './helpers/resolver.ts';
import {
  BAD_NODE_TXT,
  EXAMPLE_LINK,
  EXAMPLE_NODES,
  EXAMPLE_TXT,
  EXAMPLE_URL,
  signingKey,
} from './vectors/geth.ts';

function makeTree(domain: string, nodes: readonly Node[], links: readonly string[] = [], seq = 1) {
  const { tree, url } = Tree.make(seq, nodes, links).sign(signingKey, domain);
  return { tree, url, txt: tree.toTxt(domain) };
}

function client(resolver: MapResolver, options: DnsClientOptions = {}): DnsClient {
  return new DnsClient({ resolver, rateLimit: Number.POSITIVE_INFINITY, ...options });
}

describe('DnsClient.syncTree', () => {
  it('downloads the example tree (geth TestClientSyncTree)', async () => {
    const tree = await client(new MapResolver(new Map(Object.entries(EXAMPLE_TXT)))).syncTree(
      EXAMPLE_URL,
    );
    const want = EXAMPLE_NODES.map((t) => Node.parse(t)).sort((a, b) => Buffer.compare(a.id, b.id));
    expect(tree.nodes().map(String)).toEqual(want.map(String));
    expect(tree.links()).toEqual([EXAMPLE_LINK]);
    expect(tree.seq).toBe(1);
    expect(Object.fromEntries(tree.toTxt('n'))).toEqual(EXAMPLE_TXT);
  });

  it('fails on an invalid node entry, naming it (geth TestClientSyncTreeBadNode)', async () => {
    const c = client(new MapResolver(new Map(Object.entries(BAD_NODE_TXT))));
    const err = await rejectedError(c.syncTree(EXAMPLE_URL), DnsDiscError);
    expect(err.code).toBe('INVALID_ENR');
    expect(err.domain).toBe('INDMVBZEEQ4ESVYAKGIYU74EAA.n');
    expect(err.message).toMatch(/^INDMVBZEEQ4ESVYAKGIYU74EAA\.n: invalid enr entry/);
  });

  it('refuses a root signed by another key', async () => {
    const { txt } = makeTree('n', testNodes(2));
    const other = EXAMPLE_URL.replace('@n', '@m');
    const r = new MapResolver(txt);
    r.records.set('m', txt.get('n') ?? '');
    for (const [name, text] of txt) if (name !== 'n') r.records.set(name.replace(/n$/, 'm'), text);
    // Same key: fine at either domain. Another key: refused.
    await expect(client(r).syncTree(other)).resolves.toBeInstanceOf(Tree);
    const { url: foreign } = Tree.make(1, []).sign(hexToBytes('01'.repeat(32)), 'n');
    const err = await rejectedError(client(r).syncTree(foreign), DnsDiscError);
    expect(err.code).toBe('INVALID_SIGNATURE');
  });

  it.each([
    ['a missing root', (r: MapResolver) => r.records.set('n', 'v=spf1 -all'), 'NO_ROOT'],
    [
      'an entry at the wrong name',
      (r: MapResolver) => r.records.set('C7HRFPF3BLGF3YR4DY5KX3SMBE.n', EXAMPLE_NODES[0]),
      'HASH_MISMATCH',
    ],
    [
      'a root changed after signing',
      (r: MapResolver) =>
        r.records.set(
          'n',
          (r.records.get('n') ?? '').replace(
            'l=C7HRFPF3BLGF3YR4DY5KX3SMBE',
            'l=2XS2367YHAXJFGLZHVAWLQD4ZY',
          ),
        ),
      'INVALID_SIGNATURE',
    ],
    [
      'a lookup failure',
      (r: MapResolver) => r.records.delete('MHTDO6TMUBRIA2XWG5LUDACK24.n'),
      'LOOKUP_FAILED',
    ],
  ] as const)('fails with a typed error on %s', async (_what, spoil, code) => {
    const r = new MapResolver(new Map(Object.entries(EXAMPLE_TXT)));
    spoil(r);
    const err = await rejectedError(client(r).syncTree(EXAMPLE_URL), DnsDiscError);
    expect(err.code).toBe(code);
  });

  type Roots = (put: (text: string) => string, e: string, e2: string, l: string) => string[];
  it.each<[string, Roots, string]>([
    ['a link in the node tree', (_p, _e, _e2, l) => [l, l], 'LINK_IN_ENR_TREE'],
    ['a node in the link tree', (_p, e) => [e, e], 'ENR_IN_LINK_TREE'],
    ['a branch naming a child twice', (p, e, _e2, l) => [p(`enrtree-branch:${e},${e}`), l], 'LOOP'],
    [
      'a node under two branches',
      (p, e, e2, l) => [
        p(`enrtree-branch:${p(`enrtree-branch:${e},${e2}`)},${p(`enrtree-branch:${e}`)}`),
        l,
      ],
      'LOOP',
    ],
  ])('refuses %s', async (_what, roots, code) => {
    const [node, node2] = testNodes(2);
    const { url: linked } = makeTree('other', []);
    const r = new MapResolver();
    const p = (text: string) => put(r, text);
    const [enrRoot = '', linkRoot = ''] = roots(
      p,
      p(node?.record?.encodeText() ?? ''),
      p(node2?.record?.encodeText() ?? ''),
      p(linked),
    );
    r.records.set('n', signedRoot(enrRoot, linkRoot, 1));
    const err = await rejectedError(client(r).syncTree(EXAMPLE_URL), DnsDiscError);
    expect(err.code).toBe(code);
  });

  it('refuses a tree over maxTreeEntries', async () => {
    const { txt } = makeTree('n', testNodes(20));
    const err = await rejectedError(
      client(new MapResolver(txt), { maxTreeEntries: 10 }).syncTree(EXAMPLE_URL),
      DnsDiscError,
    );
    expect(err.code).toBe('TOO_LARGE');
  });

  it('fails a lookup that does not answer in time, on the injected clock', async () => {
    const clock = new SimulatedClock();
    const resolver = {
      resolveTxt: (_name: string, { signal }: { signal: AbortSignal }) =>
        new Promise<string[]>((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        ),
    };
    const c = new DnsClient({ resolver, clock, timeoutMs: 1000 });
    let settled = false;
    const sync = c.syncTree(EXAMPLE_URL).finally(() => {
      settled = true;
    });
    await waitFor(() => clock.pending > 0, { what: 'the lookup timer is set' });
    clock.advance(999);
    await nextTurn();
    expect(settled).toBe(false);
    clock.advance(1);
    const err = await rejectedError(sync, DnsDiscError);
    expect(err.code).toBe('LOOKUP_FAILED');
    expect(err.message).toMatch(/timed out/);
  });
});

function put(r: MapResolver, text: string): string {
  const hash = entryHash(text);
  r.records.set(`${hash}.n`, text);
  return hash;
}

function signedRoot(enrRoot: string, linkRoot: string, seq: number): string {
  const unsigned = { enrRoot, linkRoot, seq };
  const hash = keccak256(new TextEncoder().encode(rootSigningText(unsigned)));
  return formatRoot({ ...unsigned, signature: signRecoverable(hash, signingKey) });
}
