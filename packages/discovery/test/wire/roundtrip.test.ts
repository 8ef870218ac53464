import { bytesToHex } from '@ethp2p/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, MAX_PACKET_SIZE, PACKET_TYPE } from '../../src/wire/index.ts';
import { enrRequest, enrResponse, findnode, neighbors, ping, pong } from './arbitraries.ts';
import { PRIV_B } from './helpers.ts';
import { KEY_B } from './vectors.ts';

const arbitraries = { ping, pong, findnode, neighbors, enrRequest, enrResponse };

describe('encodePacket → decodePacket round trip', () => {
  it.each(Object.entries(arbitraries))('%s', (_name, arb) => {
    fc.assert(
      fc.property(arb, (packet) => {
        const { bytes, hash } = encodePacket(packet, PRIV_B);
        expect(bytes.length).toBeLessThanOrEqual(MAX_PACKET_SIZE);
        expect(bytes[97]).toBe(PACKET_TYPE[packet.type]);
        const decoded = decodePacket(bytes);
        if (packet.type === 'enr-response' && decoded.packet.type === 'enr-response') {
          const { record, ...fields } = packet;
          const { record: got, ...gotFields } = decoded.packet;
          expect(gotFields).toEqual(fields);
          expect(got.encode()).toEqual(record.encode());
        } else {
          expect(decoded.packet).toEqual(packet);
        }
        expect(decoded.hash).toEqual(hash);
        expect(bytesToHex(decoded.publicKey)).toBe(KEY_B.pub);
        expect(bytesToHex(decoded.nodeId)).toBe(KEY_B.nodeId);
        // Decoded packets re-encode to the same bytes (canonical RLP, deterministic signature).
        expect(encodePacket(decoded.packet, PRIV_B).bytes).toEqual(bytes);
      }),
      { numRuns: 60 },
    );
  });
});
