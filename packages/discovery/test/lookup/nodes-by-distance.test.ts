import { seededRandom } from '@ethp2p/base';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { distCmp, Node, nodeIdToHex } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { NodesByDistance } from '../../src/lookup/nodes-by-distance.ts';

const nodes = Array.from({ length: 60 }, () => Node.fromPublicKey(publicKey(generatePrivateKey())));
const hex = (n: Node): string => nodeIdToHex(n.id);

describe('NodesByDistance', () => {
  it.each([0, 1, 16, 100])('keeps the %i closest, as a brute-force sort does', (limit) => {
    const random = seededRandom(limit);
    for (let i = 0; i < 10; i++) {
      const target = random.bytes(32);
      const list = new NodesByDistance(target, limit);
      for (const n of nodes) list.push(n);
      const want = [...nodes].sort((a, b) => distCmp(target, a.id, b.id)).slice(0, limit);
      expect(list.entries.map(hex)).toEqual(want.map(hex));
    }
  });
});
