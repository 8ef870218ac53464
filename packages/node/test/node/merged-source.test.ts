import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Node, nodeIdToHex } from '@ethp2p/enode';
import type { NodeSource, SignalOptions } from '@ethp2p/server';
import { describe, expect, it } from 'vitest';
import { MergedSource } from '../../src/node/merged-source.ts';

const node = (port: number): Node =>
  Node.fromPublicKey(publicKey(generatePrivateKey()), { ip: '127.0.0.1', tcp: port, udp: port });

/** A source of fixed nodes; `stall` makes it wait for the signal after them; `fail` throws. */
function source(nodes: readonly Node[], how: 'end' | 'stall' | 'fail' = 'end'): NodeSource {
  async function* stream(options: SignalOptions = {}): AsyncGenerator<Node> {
    for (const n of nodes) yield n;
    if (how === 'fail') throw new Error('broken source');
    if (how === 'stall') {
      const signal = options.signal;
      await new Promise<void>((resolve) => {
        if (signal?.aborted) resolve();
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }
  return {
    randomNodes: (options) => stream(options),
    lookup: (_target, options) => stream(options),
    resolve: async (n) => nodes.find((m) => nodeIdToHex(m.id) === nodeIdToHex(n.id)),
  };
}

const ids = (nodes: readonly Node[]) => nodes.map((n) => nodeIdToHex(n.id)).sort();

describe('MergedSource', () => {
  it('yields every node of every source and ends when all end; a failing one counts as ended', async () => {
    const a = [node(1), node(2), node(3)];
    const b = [node(4)];
    const c = [node(5)];
    const merged = new MergedSource([source(a), source(b, 'fail'), source(c)]);
    const got: Node[] = [];
    for await (const n of merged.randomNodes()) got.push(n);
    expect(ids(got)).toEqual(ids([...a, ...b, ...c]));
  });

  it('is not held up by a stalled source, and closing it ends the stalled one', async () => {
    const fast = [node(1), node(2), node(3), node(4)];
    const merged = new MergedSource([source([], 'stall'), source(fast)]);
    const got: Node[] = [];
    for await (const n of merged.lookup(undefined)) {
      got.push(n);
      if (got.length === fast.length) break;
    }
    expect(ids(got)).toEqual(ids(fast));
  });

  it('ends when its signal aborts, stalled sources included', async () => {
    const controller = new AbortController();
    const merged = new MergedSource([source([node(1)], 'stall')]);
    const got: Node[] = [];
    for await (const n of merged.randomNodes({ signal: controller.signal })) {
      got.push(n);
      controller.abort();
    }
    expect(got).toHaveLength(1);
  });

  it('resolves from the first source that knows the node', async () => {
    const known = node(7);
    const merged = new MergedSource([source([]), source([known])]);
    expect(await merged.resolve(known)).toBe(known);
    expect(await merged.resolve(node(8))).toBeUndefined();
  });
});
