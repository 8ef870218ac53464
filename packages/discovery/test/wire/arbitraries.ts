/** fast-check arbitraries for discv4 packets and raw RLP. */
import { RLP } from '@ethereumjs/rlp';
import { Enr } from '@ethp2p/enode';
import fc from 'fast-check';
import type { Endpoint, NeighborNode, Packet } from '../../src/wire/index.ts';
import { PRIV_B } from './helpers.ts';

/** Nested RLP input: byte strings and lists. */
export type Nested = Uint8Array | Nested[];

/** Arbitrary nested RLP data (what `RLP.encode` takes). */
export const nested: fc.Arbitrary<Nested> = fc.letrec<{ item: Nested }>((tie) => ({
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.uint8Array({ maxLength: 70 }),
    fc.array(tie('item'), { maxLength: 4 }),
  ),
})).item;

/** The raw RLP of one arbitrary item. */
export const rawItem: fc.Arbitrary<Uint8Array> = nested.map((n) => RLP.encode(n));

/** Canonical IPv6 text of 16 bytes (WHATWG URL serialization, which follows RFC 5952). */
export function ipv6Text(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

const isMapped = (b: Uint8Array): boolean =>
  b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;

/** An IP as decoding gives it: undefined, dotted IPv4 or canonical non-mapped IPv6. */
export const ip: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.ipV4(),
  fc
    .uint8Array({ minLength: 16, maxLength: 16 })
    .filter((b) => !isMapped(b))
    .map(ipv6Text),
);

const port = fc.integer({ min: 0, max: 65535 });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const bytes = (n: number): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ minLength: n, maxLength: n });
const rest = fc.array(
  rawItem.filter((r) => r.length < 60),
  { maxLength: 3 },
);

export const endpoint: fc.Arbitrary<Endpoint> = fc.record({ ip, udp: port, tcp: port });

export const neighbor: fc.Arbitrary<NeighborNode> = fc.record({
  ip,
  udp: port,
  tcp: port,
  publicKey: bytes(64),
});

/** Optional enr-seq; rest only when enr-seq is set (it would otherwise be read as enr-seq). */
const seqAndRest = fc.oneof(
  fc.constant({ rest: [] as Uint8Array[] }),
  fc.record({ enrSeq: u64, rest }),
);

export const ping: fc.Arbitrary<Packet> = fc
  .tuple(u64, endpoint, endpoint, u64, seqAndRest)
  .map(([version, from, to, expiration, sr]) => ({
    type: 'ping',
    version,
    from,
    to,
    expiration,
    ...sr,
  }));

export const pong: fc.Arbitrary<Packet> = fc
  .tuple(endpoint, bytes(32), u64, seqAndRest)
  .map(([to, pingHash, expiration, sr]) => ({ type: 'pong', to, pingHash, expiration, ...sr }));

export const findnode: fc.Arbitrary<Packet> = fc.record({
  type: fc.constant('findnode' as const),
  target: bytes(64),
  expiration: u64,
  rest,
});

export const neighbors: fc.Arbitrary<Packet> = fc.record({
  type: fc.constant('neighbors' as const),
  nodes: fc.array(neighbor, { maxLength: 12 }),
  expiration: u64,
  rest,
});

export const enrRequest: fc.Arbitrary<Packet> = fc.record({
  type: fc.constant('enr-request' as const),
  expiration: u64,
  rest,
});

export const enrResponse: fc.Arbitrary<Packet> = fc
  .tuple(bytes(32), u64, fc.ipV4(), port, rest)
  .map(([requestHash, seq, addr, udp, r]) => ({
    type: 'enr-response',
    requestHash,
    record: Enr.sign({ seq, entries: { ip: addr, udp } }, PRIV_B),
    rest: r,
  }));

/** Any packet. */
export const packet: fc.Arbitrary<Packet> = fc.oneof(
  ping,
  pong,
  findnode,
  neighbors,
  enrRequest,
  enrResponse,
);
