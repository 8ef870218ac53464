/** fast-check arbitraries of discv5 messages. */
import { encodeBytes, encodeList } from '@ethp2p/base/rlp';
import fc from 'fast-check';
import type { V5Message } from '../../../src/v5/wire/index.ts';

const reqId = fc.uint8Array({ maxLength: 8 });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const bytes = fc.uint8Array({ maxLength: 64 });
const record = fc
  .uint8Array({ minLength: 1, maxLength: 40 })
  .map((b) => encodeList([encodeBytes(b)]));

/** Every message kind with random fields. */
export const message: fc.Arbitrary<V5Message> = fc.oneof(
  fc.record({ type: fc.constant('ping' as const), reqId, enrSeq: u64 }),
  fc.record({
    type: fc.constant('pong' as const),
    reqId,
    enrSeq: u64,
    ip: fc.oneof(fc.ipV4(), fc.constant('2001:db8::1')),
    port: fc.integer({ min: 0, max: 65535 }),
  }),
  fc.record({
    type: fc.constant('findnode' as const),
    reqId,
    distances: fc.array(fc.integer({ min: 0, max: 256 }), { maxLength: 5 }),
  }),
  fc.record({
    type: fc.constant('nodes' as const),
    reqId,
    total: fc.integer({ min: 0, max: 255 }),
    records: fc.array(record, { maxLength: 4 }),
  }),
  fc.record({ type: fc.constant('talkreq' as const), reqId, protocol: bytes, request: bytes }),
  fc.record({ type: fc.constant('talkresp' as const), reqId, response: bytes }),
);
