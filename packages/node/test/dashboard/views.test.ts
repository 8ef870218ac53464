import { bytesToHex, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { logDistance, Node, type NodeId } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { Ring } from '../../src/dashboard/ring.ts';
import { headView, tableView } from '../../src/dashboard/views.ts';

const randomNode = (): Node =>
  Node.fromPublicKey(publicKey(generatePrivateKey()), { ip: '127.0.0.1', udp: 1 });

describe('tableView', () => {
  it('counts the nodes by log distance from us, nearest first', () => {
    const self = randomNode().id;
    const nodes = Array.from({ length: 40 }, randomNode);
    const view = tableView(self, nodes);
    expect(view.size).toBe(40);
    const expected = new Map<number, number>();
    for (const n of nodes) {
      const d = logDistance(self, n.id);
      expected.set(d, (expected.get(d) ?? 0) + 1);
    }
    expect(view.buckets).toEqual(
      [...expected].sort((a, b) => a[0] - b[0]).map(([distance, count]) => ({ distance, count })),
    );
  });

  it('gives distance 1 for IDs differing only in the last bit', () => {
    const self = new Uint8Array(32) as NodeId;
    const near = Node.fromPublicKey(publicKey(generatePrivateKey()), { ip: '127.0.0.1' });
    // A node whose ID is self with its last bit flipped.
    const flipped = Object.create(near, { id: { value: Uint8Array.of(...new Uint8Array(31), 1) } });
    expect(tableView(self, [flipped]).buckets).toEqual([{ distance: 1, count: 1 }]);
    expect(tableView(self, [])).toEqual({ size: 0, buckets: [] });
  });
});

describe('headView', () => {
  it('shows the number in decimal and the hash in 0x hex', () => {
    const hash = new Uint8Array(32).fill(0xab);
    const head = {
      rlp: new Uint8Array(0),
      hash,
      parentHash: new Uint8Array(32),
      number: 18_446_744_073_709_551_615n,
      time: 0n,
      receiptsRoot: new Uint8Array(32),
    };
    expect(headView(head)).toEqual({
      number: '18446744073709551615',
      hash: `0x${bytesToHex(hash)}`,
    });
  });
});

describe('Ring', () => {
  it('keeps the newest items, oldest first', () => {
    const ring = new Ring<number>(3);
    expect(ring.toArray()).toEqual([]);
    for (let i = 1; i <= 2; i++) ring.push(i);
    expect(ring.toArray()).toEqual([1, 2]);
    for (let i = 3; i <= 7; i++) ring.push(i);
    expect(ring.toArray()).toEqual([5, 6, 7]);
    expect(ring.size).toBe(3);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new Ring(0)).toThrow(RangeError);
    expect(() => new Ring(1.5)).toThrow(RangeError);
  });
});
