/**
 * The eth Status exchange: send our Status at once, read theirs at the same time (never wait
 * for theirs first: conformance suites read before they write), and check it (geth
 * `eth/protocols/eth/handshake.go`).
 *
 * | failure                                              | disconnect reason        |
 * |------------------------------------------------------|--------------------------|
 * | no Status within 5 s                                 | ReadTimeout (0x0b)       |
 * | undecodable Status, or over 10 MiB                   | ProtocolError (0x02)     |
 * | first message not Status, or a failed check (below)  | SubprotocolError (0x10)  |
 *
 * Checks: the version is the negotiated one, same network ID, same genesis, a fork ID the local
 * filter accepts, and for eth/69 a valid block range (earliest ≤ latest, non-zero hash); eth/68
 * refuses a total difficulty over 100 bits.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#status-0x00
 * @module
 */

import { type Clock, systemClock, type Timer } from '@ethp2p/base';
import { bytesToHex, equalBytes } from '@ethp2p/crypto';
import { DiscReason, type MsgReadWriter, PeerError } from '@ethp2p/server';
import type { ChainReader } from './chain/types.ts';
import type { ForkFilter } from './forkid/filter.ts';
import { forkId } from './forkid/fork-id.ts';
import type { Status68, Status69 } from './messages/status.ts';
import { type EthVersion, encodeMessage } from './messages/versions.ts';
import { MAX_TD_BITS, STATUS_TIMEOUT_MS } from './peer/constants.ts';
import { asProtocolError, StatusError } from './peer/errors.ts';
import { type AnyEthVersion, decodeAny } from './peer/message-writer.ts';

/** A Status of either version. */
export type Status = Status68 | Status69;

/** What a remote Status is checked against. */
export interface StatusRules {
  /** The negotiated version: the remote Status must carry it. */
  readonly version: number;
  readonly networkId: bigint;
  /** The local genesis hash. */
  readonly genesis: Uint8Array;
  /** Judges the remote fork ID against the local chain. */
  readonly forkFilter: ForkFilter;
}

/** Options of {@link exchangeStatus}. */
export interface ExchangeStatusOptions {
  /** The negotiated version's table (Status is decoded and encoded with it). */
  readonly version: AnyEthVersion;
  /** Our Status, sent at once. */
  readonly local: Status;
  /** What the remote Status must satisfy. */
  readonly rules: StatusRules;
  /** Aborts the exchange: it rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Runs the timeout (default: the system clock). */
  readonly clock?: Clock;
  /** Default {@link STATUS_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/** What our Status says, besides the chain: eth/69's earliest block, eth/68's TD. */
export interface LocalStatusOptions {
  readonly networkId: bigint;
  /** eth/69: the earliest block whose body and receipts we serve. */
  readonly earliest: bigint;
  /** eth/68: the total difficulty of our head. */
  readonly td: bigint;
}

/** Our Status in `version`, from the chain's genesis, head and fork ID. */
export function localStatus(
  version: number,
  chain: ChainReader,
  options: LocalStatusOptions,
): Status {
  const head = chain.head();
  const genesis = chain.genesis().hash;
  const id = forkId(chain.config, { number: head.number, time: head.time });
  if (version >= 69) {
    return {
      version,
      networkId: options.networkId,
      genesis,
      forkId: id,
      earliest: options.earliest,
      latest: head.number,
      latestHash: head.hash,
    };
  }
  return {
    version,
    networkId: options.networkId,
    td: options.td,
    head: head.hash,
    genesis,
    forkId: id,
  };
}

/**
 * Sends `local` and reads the remote Status concurrently, then checks it.
 * @returns the remote Status
 * @throws {PeerError} with the reason of the table above (a check failure has a
 *   {@link StatusError} as its cause and names it in the message); whatever the stream throws
 *   (a closed peer); the signal's reason on abort
 */
export async function exchangeStatus(
  rw: MsgReadWriter,
  options: ExchangeStatusOptions,
): Promise<Status> {
  const { version, local, rules, signal } = options;
  signal?.throwIfAborted();
  const { code, data } = encodeMessage(version as EthVersion<{ Status: Status }>, 'Status', local);
  const sent = rw.writeMsg(code, data);
  const received = readStatus(rw, version).then((remote) => {
    checkStatus(remote, rules);
    return remote;
  });
  // Whichever side loses the race below must not become an unhandled rejection.
  sent.catch(() => {});
  received.catch(() => {});
  const [, remote] = await deadline(
    Promise.all([sent, received]),
    options.clock ?? systemClock,
    options.timeoutMs ?? STATUS_TIMEOUT_MS,
    signal,
  );
  return remote;
}

async function readStatus(rw: MsgReadWriter, version: AnyEthVersion): Promise<Status> {
  const msg = await rw.readMsg();
  if (msg.code !== 0) {
    throw subprotocolError(
      new StatusError('NO_STATUS', `first message has code 0x${msg.code.toString(16)}, not Status`),
    );
  }
  try {
    return decodeAny(version, msg).value as Status;
  } catch (err) {
    throw asProtocolError(err);
  }
}

/**
 * Checks a remote Status against the local rules.
 * @throws {PeerError} SubprotocolError whose cause is the {@link StatusError}
 */
export function checkStatus(remote: Status, rules: StatusRules): void {
  const problem = statusProblem(remote, rules);
  if (problem !== null) throw subprotocolError(problem);
}

function statusProblem(remote: Status, rules: StatusRules): StatusError | null {
  if (remote.networkId !== rules.networkId) {
    return new StatusError(
      'NETWORK_ID_MISMATCH',
      `network id mismatch: got ${remote.networkId}, want ${rules.networkId}`,
    );
  }
  if (remote.version !== rules.version) {
    return new StatusError(
      'VERSION_MISMATCH',
      `protocol version mismatch: got ${remote.version}, want ${rules.version}`,
    );
  }
  if (!equalBytes(remote.genesis, rules.genesis)) {
    return new StatusError(
      'GENESIS_MISMATCH',
      `genesis mismatch: got 0x${bytesToHex(remote.genesis)}, want 0x${bytesToHex(rules.genesis)}`,
    );
  }
  const rejection = rules.forkFilter.validate(remote.forkId);
  if (rejection !== null) {
    const { hash, next } = remote.forkId;
    return new StatusError(
      'FORK_ID_REJECTED',
      `fork id rejected (${rejection}): hash 0x${bytesToHex(hash)}, next ${next}`,
    );
  }
  if ('latestHash' in remote) {
    if (remote.earliest > remote.latest) {
      return new StatusError(
        'INVALID_BLOCK_RANGE',
        `invalid block range: earliest ${remote.earliest} > latest ${remote.latest}`,
      );
    }
    if (remote.latestHash.every((b) => b === 0)) {
      return new StatusError('INVALID_BLOCK_RANGE', 'invalid block range: zero latest hash');
    }
  } else if (remote.td.toString(2).length > MAX_TD_BITS) {
    return new StatusError('TD_TOO_LARGE', `too large total difficulty: ${remote.td}`);
  }
  return null;
}

function subprotocolError(cause: StatusError): PeerError {
  return new PeerError(DiscReason.SubprotocolError, `eth status: ${cause.message}`, { cause });
}

/** `task`, unless `ms` pass first (ReadTimeout) or `signal` aborts (its reason). */
function deadline<T>(task: Promise<T>, clock: Clock, ms: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: Timer | null = null;
    const onAbort = (): void => finish(() => reject(signal?.reason));
    const finish = (settle: () => void): void => {
      timer?.cancel();
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    timer = clock.schedule(ms, () =>
      finish(() =>
        reject(new PeerError(DiscReason.ReadTimeout, `eth status: no status within ${ms} ms`)),
      ),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    task.then(
      (value) => finish(() => resolve(value)),
      (err: unknown) => finish(() => reject(err)),
    );
  });
}
