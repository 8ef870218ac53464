/**
 * A hand-written client that plays go-ethereum's eth conformance suite
 * (`cmd/devp2p/internal/ethtest`) against our eth protocol: it reads the node's Status first
 * (the node must send it without waiting), then sends its own, then sends requests with the
 * suite's request ids and reads the answers, each read within 2 s. Messages are built and read
 * with `@ethereumjs/rlp` directly, not with our codecs, and any eth message the suite does not
 * model fails the read (geth's `ReadEth` panics on those).
 * @module
 */
import { RLP } from '@ethereumjs/rlp';
import { concatBytes } from '@ethp2p/crypto';
import type { Msg, MsgReadWriter } from '@ethp2p/server';
import type { SuiteVersion } from './transports.ts';

/** The suite's timeout of every read and write (geth `timeout = 2 * time.Second`). */
export const SUITE_TIMEOUT_MS = 2_000;

/** eth message codes (relative to the protocol). */
export const CODE = {
  Status: 0x00,
  Transactions: 0x02,
  GetBlockHeaders: 0x03,
  BlockHeaders: 0x04,
  GetBlockBodies: 0x05,
  BlockBodies: 0x06,
  NewPooledTransactionHashes: 0x08,
  GetPooledTransactions: 0x09,
  PooledTransactions: 0x0a,
} as const;

/** The eth messages the suite understands; anything else from the node fails the test. */
const MODELED: ReadonlySet<number> = new Set(Object.values(CODE));

/** A header request's origin. */
export type Origin = { readonly hash: Uint8Array } | { readonly number: bigint };

/** A Status as the suite decodes it (both versions' fields; absent ones undefined). */
export interface SuiteStatus {
  readonly version: bigint;
  readonly networkId: bigint;
  readonly genesis: Uint8Array;
  readonly forkHash: Uint8Array;
  readonly forkNext: bigint;
  /** eth/68. */
  readonly td?: bigint;
  /** eth/68: the head hash. */
  readonly head?: Uint8Array;
  /** eth/69. */
  readonly earliest?: bigint;
  /** eth/69. */
  readonly latest?: bigint;
  /** eth/69. */
  readonly latestHash?: Uint8Array;
}

/** What the suite sends as its own Status. */
export interface OwnStatus {
  readonly networkId: bigint;
  readonly genesis: Uint8Array;
  readonly forkHash: Uint8Array;
  readonly forkNext: bigint;
  readonly headNumber: bigint;
  readonly headHash: Uint8Array;
}

/** A decoded response: its request id, its items as RLP, and the whole payload. */
export interface Response {
  readonly code: number;
  readonly requestId: bigint;
  readonly items: Uint8Array[];
  readonly data: Uint8Array;
}

/** The suite's end of one connection, at the negotiated eth version. */
export class SuiteClient {
  readonly version: SuiteVersion;
  readonly #rw: MsgReadWriter;

  constructor(rw: MsgReadWriter, version: SuiteVersion) {
    this.#rw = rw;
    this.version = version;
  }

  /** Reads the node's Status; it must be the first message. */
  async readStatus(): Promise<SuiteStatus> {
    const msg = await this.read();
    if (msg.code !== CODE.Status) throw new Error(`expected Status, got code ${msg.code}`);
    const f = RLP.decode(msg.data) as unknown[];
    const fork = (x: unknown) => {
      const [hash, next] = x as [Uint8Array, Uint8Array];
      return { forkHash: hash, forkNext: uint(next) };
    };
    if (this.version >= 69) {
      const [version, networkId, genesis, forkId, earliest, latest, latestHash] = f;
      return {
        version: uint(version),
        networkId: uint(networkId),
        genesis: genesis as Uint8Array,
        ...fork(forkId),
        earliest: uint(earliest),
        latest: uint(latest),
        latestHash: latestHash as Uint8Array,
      };
    }
    const [version, networkId, td, head, genesis, forkId] = f;
    return {
      version: uint(version),
      networkId: uint(networkId),
      td: uint(td),
      head: head as Uint8Array,
      genesis: genesis as Uint8Array,
      ...fork(forkId),
    };
  }

  /** Sends the suite's Status (eth/69: earliest 0, latest the head; eth/68: TD 0). */
  async sendStatus(s: OwnStatus): Promise<void> {
    const forkId = [s.forkHash, s.forkNext];
    const fields =
      this.version >= 69
        ? [this.version, s.networkId, s.genesis, forkId, 0, s.headNumber, s.headHash]
        : [this.version, s.networkId, 0, s.headHash, s.genesis, forkId];
    await this.write(CODE.Status, RLP.encode(fields));
  }

  /** Sends GetBlockHeaders `[id, [origin, amount, skip, reverse]]`. */
  getBlockHeaders(
    requestId: bigint,
    origin: Origin,
    amount: bigint,
    skip = 0n,
    reverse = false,
  ): Promise<void> {
    const from = 'hash' in origin ? origin.hash : origin.number;
    const payload = RLP.encode([requestId, [from, amount, skip, reverse ? 1 : 0]]);
    return this.write(CODE.GetBlockHeaders, payload);
  }

  /** Sends GetBlockBodies `[id, [hash, ...]]`. */
  getBlockBodies(requestId: bigint, hashes: readonly Uint8Array[]): Promise<void> {
    return this.write(CODE.GetBlockBodies, RLP.encode([requestId, [...hashes]]));
  }

  /** Reads the next message, which must be a `[request-id, [item, ...]]` response of `code`. */
  async readResponse(code: number): Promise<Response> {
    const msg = await this.read();
    if (msg.code !== code) throw new Error(`expected code ${code}, got ${msg.code}`);
    const [id, list] = RLP.decode(msg.data) as [Uint8Array, unknown[]];
    const items = list.map((item) => RLP.encode(item as Uint8Array));
    return { code, requestId: uint(id), items, data: msg.data };
  }

  /**
   * Reads the next eth message within {@link SUITE_TIMEOUT_MS}.
   * @throws when it takes longer, the connection ends, or the message is one the suite does not
   *   model
   */
  async read(): Promise<Msg> {
    const msg = await deadline(this.#rw.readMsg(), 'read');
    if (!MODELED.has(msg.code)) throw new Error(`unexpected eth message code ${msg.code}`);
    return msg;
  }

  /** Writes within {@link SUITE_TIMEOUT_MS}. */
  write(code: number, data: Uint8Array): Promise<void> {
    return deadline(this.#rw.writeMsg(code, data), 'write');
  }
}

/** `[request-id, [items...]]` with the items spliced in as they are: a response's exact bytes. */
export function responseBytes(requestId: bigint, items: readonly Uint8Array[]): Uint8Array {
  return rlpList([RLP.encode(requestId), rlpList(items)]);
}

/** The RLP list of already-encoded items. */
export function rlpList(items: readonly Uint8Array[]): Uint8Array {
  const body = concatBytes(...items);
  if (body.length < 56) return concatBytes(Uint8Array.of(0xc0 + body.length), body);
  const len: number[] = [];
  for (let n = body.length; n > 0; n = Math.floor(n / 256)) len.unshift(n % 256);
  return concatBytes(Uint8Array.of(0xf7 + len.length, ...len), body);
}

function uint(x: unknown): bigint {
  if (!(x instanceof Uint8Array)) throw new Error('expected an RLP string');
  let n = 0n;
  for (const b of x) n = (n << 8n) | BigInt(b);
  return n;
}

/** `p`, or a rejection after {@link SUITE_TIMEOUT_MS}; a late failure of `p` is swallowed. */
function deadline<T>(p: Promise<T>, what: string): Promise<T> {
  p.catch(() => {});
  const signal = AbortSignal.timeout(SUITE_TIMEOUT_MS);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void =>
      reject(new Error(`${what}: no answer within ${SUITE_TIMEOUT_MS} ms`));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
