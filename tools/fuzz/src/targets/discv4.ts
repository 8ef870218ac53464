/**
 * discv4 datagrams through `decodePacket` of `@ethp2p/discovery/wire`: every packet type. The
 * body (type byte and RLP) is mutated and the envelope rebuilt around it (hash, and a valid
 * signature one time in four), so mutations reach the body decoder and, once it accepts, the
 * signature recovery and the ENRResponse record check.
 * @module
 */
import { concatBytes, keccak256, signRecoverable } from '@ethp2p/crypto';
import {
  decodePacket,
  encodePacket,
  expirationFromNow,
  type PacketInput,
  WireError,
} from '@ethp2p/discovery/wire';
import { type Enr, EnrError } from '@ethp2p/enode';
import { typedErrors } from '../errors.ts';
import type { FuzzRandom, TargetSpec } from '../target.ts';
import { attempt, fixedKey, sampleRecords } from './fixtures.ts';

/** hash(32) ‖ signature(65): what precedes the type byte. */
const ENVELOPE_BYTES = 97;

/** The `discv4` target. */
export const discv4Target: TargetSpec = {
  name: 'discv4',
  decoders:
    '@ethp2p/discovery/wire decodePacket: ping, pong, findnode, neighbors, enr-request, ' +
    'enr-response (with its record verified)',
  create() {
    const key = fixedKey('discv4');
    const other = fixedKey('discv4 neighbor');
    const expiration = expirationFromNow(1_800_000_000_000);
    const from = { ip: '127.0.0.1', udp: 30303, tcp: 30303 };
    const to = { ip: '::1', udp: 30301, tcp: 0 };
    const record = sampleRecords(key.privateKey)[0] as Enr;
    const packets: PacketInput[] = [
      { type: 'ping', version: 4n, from, to, expiration },
      { type: 'ping', version: 4n, from, to, expiration, enrSeq: 5n, rest: [Uint8Array.of(1)] },
      { type: 'pong', to, pingHash: new Uint8Array(32).fill(1), expiration, enrSeq: 2n },
      { type: 'findnode', target: other.publicKey, expiration },
      {
        type: 'neighbors',
        nodes: Array.from({ length: 12 }, (_, i) => ({
          ...(i % 2 === 0 ? from : to),
          publicKey: i % 3 === 0 ? key.publicKey : other.publicKey,
        })),
        expiration,
      },
      { type: 'enr-request', expiration },
      { type: 'enr-response', requestHash: new Uint8Array(32).fill(2), record },
    ];
    const datagrams = packets.map((p) => encodePacket(p, key.privateKey).bytes);
    const signatureOf = datagrams[0]?.subarray(32, ENVELOPE_BYTES) ?? new Uint8Array(65);
    const expected = typedErrors(WireError);
    const enrError = typedErrors(EnrError);
    return {
      modes: [
        {
          name: 'body',
          seeds: datagrams.map((d) => d.subarray(ENVELOPE_BYTES)),
          prepare: (body: Uint8Array, random: FuzzRandom) => {
            const signature =
              random.intn(4) === 0 ? signRecoverable(keccak256(body), key.privateKey) : signatureOf;
            const signed = concatBytes(signature, body);
            return concatBytes(keccak256(signed), signed);
          },
        },
        { name: 'datagram', seeds: datagrams },
      ],
      maxInputBytes: 2048,
      expected,
      run(input) {
        const { packet } = decodePacket(input);
        // the standard entries are read lazily and may throw EnrError INVALID_ENTRY
        if (packet.type === 'enr-response') attempt(() => packet.record.udp, enrError);
      },
    };
  },
};
