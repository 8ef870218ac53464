import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Enr, Node, nodeIdToHex } from '@ethp2p/enode';
import {
  type ChainConfig,
  compatibleNodeFilter,
  ethEnrEntry,
  forkId,
  MAINNET,
  newForkFilter,
  SEPOLIA,
} from '@ethp2p/eth';
import type { NodeSource, SignalOptions } from '@ethp2p/server';
import { describe, expect, it } from 'vitest';
import { EthDialSource } from '../../src/node/dial-source.ts';

/** A node of `config`'s chain at its genesis, with its record, and the same node without it. */
function member(config: ChainConfig | undefined, port: number): { bare: Node; full: Node } {
  const key = generatePrivateKey();
  const entries: Record<string, unknown> = { ip: '127.0.0.1', tcp: port, udp: port };
  if (config !== undefined) {
    entries.eth = { rlp: ethEnrEntry(forkId(config, { number: 0n, time: config.genesisTime })) };
  }
  const full = Node.fromEnr(Enr.sign({ seq: 2n, entries: entries as never }, key));
  const bare = Node.fromPublicKey(publicKey(key), { ip: '127.0.0.1', tcp: port, udp: port });
  return { bare, full };
}

/** A discovery stand-in: fixed nodes, and records for the ones that answer ENR requests. */
class FakeDiscovery implements NodeSource {
  readonly requested: string[] = [];
  readonly nodes: readonly Node[];
  readonly records: ReadonlyMap<string, Node>;

  constructor(nodes: readonly Node[], records: ReadonlyMap<string, Node>) {
    this.nodes = nodes;
    this.records = records;
  }

  async *randomNodes(options: SignalOptions = {}): AsyncGenerator<Node> {
    for (const n of this.nodes) {
      if (options.signal?.aborted) return;
      yield n;
    }
  }

  lookup(_target?: Uint8Array, options: SignalOptions = {}): AsyncIterable<Node> {
    return this.randomNodes(options);
  }

  async resolve(node: Node): Promise<Node | undefined> {
    return this.records.get(nodeIdToHex(node.id));
  }

  async requestEnr(node: Node): Promise<Node> {
    const id = nodeIdToHex(node.id);
    this.requested.push(id);
    const record = this.records.get(id);
    if (record === undefined) throw new Error('timeout');
    return record;
  }
}

const sepoliaFilter = compatibleNodeFilter(
  newForkFilter(SEPOLIA, () => ({ number: 0n, time: SEPOLIA.genesisTime })),
);

async function collect(iterable: AsyncIterable<Node>): Promise<string[]> {
  const out: string[] = [];
  for await (const n of iterable) out.push(nodeIdToHex(n.id));
  return out.sort();
}

describe('EthDialSource', () => {
  const same = member(SEPOLIA, 30301);
  const other = member(MAINNET, 30302);
  const noEth = member(undefined, 30303);
  const silent = member(SEPOLIA, 30304);
  const known = member(SEPOLIA, 30305);
  const records = new Map(
    [same, other, noEth, known].map((m) => [nodeIdToHex(m.full.id), m.full] as const),
  );
  const nodes = [same.bare, other.bare, noEth.bare, silent.bare, known.full];

  it('fetches each record and keeps the nodes of our chain, with their records', async () => {
    const disc = new FakeDiscovery(nodes, records);
    const source = new EthDialSource(disc, sepoliaFilter, {
      requestEnr: (n) => disc.requestEnr(n),
    });
    const kept: Node[] = [];
    for await (const n of source.randomNodes()) kept.push(n);
    expect(kept.map((n) => nodeIdToHex(n.id)).sort()).toEqual(
      [same.full, known.full].map((n) => nodeIdToHex(n.id)).sort(),
    );
    expect(kept.every((n) => n.record !== undefined)).toBe(true);
    // A node that already has an eth entry is judged without a request.
    expect(disc.requested).not.toContain(nodeIdToHex(known.full.id));
    expect(disc.requested).toHaveLength(4);
  });

  it('filters lookups the same way and passes resolve through', async () => {
    const disc = new FakeDiscovery(nodes, records);
    const source = new EthDialSource(disc, sepoliaFilter, {
      requestEnr: (n) => disc.requestEnr(n),
      parallel: 1,
    });
    expect(await collect(source.lookup(undefined))).toEqual(
      [same.full, known.full].map((n) => nodeIdToHex(n.id)).sort(),
    );
    expect(await source.resolve(other.bare)).toBe(other.full);
  });

  it('without requestEnr (discv5) judges nodes by the records they came with', async () => {
    const disc = new FakeDiscovery([same.full, other.full, noEth.full, silent.bare], records);
    const source = new EthDialSource(disc, sepoliaFilter);
    expect(await collect(source.randomNodes())).toEqual([nodeIdToHex(same.full.id)]);
    expect(disc.requested).toEqual([]);
  });

  it('rejects a bad parallelism', () => {
    const disc = new FakeDiscovery([], new Map());
    expect(() => new EthDialSource(disc, sepoliaFilter, { parallel: 0 })).toThrow(RangeError);
  });
});
