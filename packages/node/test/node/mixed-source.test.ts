import { nextTurn } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import type { DiscoverySource } from '../../src/node/dial-source.ts';
import { MixedDiscoverySource } from '../../src/node/mixed-source.ts';

const node = (): Node =>
  Node.fromPublicKey(publicKey(generatePrivateKey()), { ip: '10.0.0.1', udp: 1 });

/** A source whose streams yield `nodes`, then wait for their signal (`endless`) or end. */
function source(nodes: readonly Node[], endless: boolean, found?: Node): DiscoverySource {
  async function* stream(signal: AbortSignal | undefined): AsyncGenerator<Node> {
    for (const n of nodes) {
      await nextTurn();
      yield n;
    }
    if (!endless || signal === undefined) return;
    if (signal.aborted) return;
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  }
  return {
    randomNodes: (o = {}) => stream(o.signal),
    lookup: (_key, o = {}) => stream(o.signal),
    resolve: async () => found,
    requestEnr: async (n) => {
      if (found === undefined) throw new Error('no record');
      return n;
    },
  };
}

describe('MixedDiscoverySource', () => {
  it('takes turns between the versions, and ends when both streams ended', async () => {
    const a = [node(), node(), node()];
    const b = [node(), node()];
    const mixed = new MixedDiscoverySource([source(a, false), source(b, false)]);
    const got: Node[] = [];
    for await (const n of mixed.lookup()) got.push(n);
    expect(got).toHaveLength(5);
    expect(got.slice(0, 4).map((n) => (a.includes(n) ? 'a' : 'b'))).toEqual(['a', 'b', 'a', 'b']);
  });

  it('a stream that waits (an empty table) does not hold the other back; the signal ends both', async () => {
    const b = [node(), node(), node()];
    const mixed = new MixedDiscoverySource([source([], true), source(b, true)]);
    const controller = new AbortController();
    const got: Node[] = [];
    for await (const n of mixed.randomNodes({ signal: controller.signal })) {
      got.push(n);
      if (got.length === 3) controller.abort();
    }
    expect(got).toEqual(b);
  });

  it('resolve and requestEnr fall back to the next version', async () => {
    const n = node();
    const mixed = new MixedDiscoverySource([source([], false), source([], false, n)]);
    expect(await mixed.resolve(n)).toBe(n);
    expect(await mixed.requestEnr(n)).toBe(n);
    const none = new MixedDiscoverySource([source([], false)]);
    await expect(none.requestEnr(n)).rejects.toThrow('no record');
    expect(() => new MixedDiscoverySource([])).toThrow(RangeError);
  });
});
