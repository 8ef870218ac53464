/**
 * The endpoint and Neighbors-entry writers against @ethereumjs/rlp: they write the lists
 * directly, without an array per element, and must give the same bytes as a generic encoder.
 */
import { RLP } from '@ethereumjs/rlp';
import { ipToBytes } from '@ethp2p/enode';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeEndpoint, encodeNeighbor } from '../../src/wire/endpoint.ts';
import { endpoint, neighbor } from './arbitraries.ts';

const ipBytes = (ip: string | undefined): Uint8Array =>
  ip === undefined ? new Uint8Array(0) : (ipToBytes(ip) as Uint8Array);

describe('endpoint writers', () => {
  it('write an endpoint as @ethereumjs/rlp encodes [ip, udp, tcp]', () => {
    fc.assert(
      fc.property(endpoint, (ep) => {
        expect(encodeEndpoint(ep, 'ep')).toEqual(RLP.encode([ipBytes(ep.ip), ep.udp, ep.tcp]));
      }),
      { numRuns: 300 },
    );
  });

  it('write a Neighbors entry as @ethereumjs/rlp encodes [ip, udp, tcp, key]', () => {
    fc.assert(
      fc.property(neighbor, (n) => {
        expect(encodeNeighbor(n, 'n')).toEqual(
          RLP.encode([ipBytes(n.ip), n.udp, n.tcp, n.publicKey]),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('give a node encoded before its earlier entry, and a changed node a new one', () => {
    fc.assert(
      fc.property(neighbor, neighbor, (n, other) => {
        const key = Uint8Array.from(n.publicKey);
        const first = encodeNeighbor({ ...n, publicKey: key }, 'n');
        expect(encodeNeighbor({ ...n, publicKey: key }, 'n')).toBe(first);
        // The same key array with another endpoint, then with other key bytes.
        const moved = { ...other, publicKey: key };
        expect(encodeNeighbor(moved, 'n')).toEqual(
          RLP.encode([ipBytes(other.ip), other.udp, other.tcp, key]),
        );
        key.set(other.publicKey);
        expect(encodeNeighbor(moved, 'n')).toEqual(
          RLP.encode([ipBytes(other.ip), other.udp, other.tcp, other.publicKey]),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('write the port boundaries of every header size', () => {
    for (const port of [0, 1, 0x7f, 0x80, 0xff, 0x100, 30303, 65535]) {
      const ep = { ip: '10.0.0.1', udp: port, tcp: 65535 - port };
      expect(encodeEndpoint(ep, 'ep')).toEqual(RLP.encode([ipBytes(ep.ip), port, 65535 - port]));
    }
  });
});
