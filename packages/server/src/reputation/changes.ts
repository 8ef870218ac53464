/**
 * What a node can do to its score, the weight of each, and the one mapping from how a
 * connection ended (a {@link DiscReason}, an error) to a change (Reth `ReputationChangeKind`,
 * `ReputationChangeWeights`).
 * @module
 */
import { RlpxError } from '@ethp2p/rlpx';
import { DiscReason } from '../wire/disc-reason.ts';
import { BANNED_REPUTATION, REPUTATION_UNIT } from './constants.ts';

/** The kinds of reputation change. */
export const REPUTATION_CHANGE = {
  /** A malformed, oversized or out-of-range message, or a subprotocol breach (16 units). */
  badMessage: 'badMessage',
  /** An identity breach: the node is banned at once (Reth `BadProtocol`). */
  badProtocol: 'badProtocol',
  /** A failed RLPx handshake from an IP: garbage, a bad MAC or signature (4 units). */
  badHandshake: 'badHandshake',
  /** A response that is wrong (e.g. headers that do not chain) (8 units). */
  badResponse: 'badResponse',
  /** A useless response or peer: nothing we asked for, no common protocol (1 unit). */
  uselessResponse: 'uselessResponse',
  /** No answer in time, a read timeout (4 units, Reth `Timeout`). */
  timeout: 'timeout',
  /** A dial that failed (25 units, Reth `FailedToConnect`). */
  failedToConnect: 'failedToConnect',
  /** The remote dropped us for a reason other than load or quitting (4 units, Reth `Dropped`). */
  dropped: 'dropped',
  /** A useful response: a small reward (a quarter unit), up to `MAX_REPUTATION`. */
  usefulResponse: 'usefulResponse',
} as const;

/** A kind of reputation change. */
export type ReputationChange = (typeof REPUTATION_CHANGE)[keyof typeof REPUTATION_CHANGE];

/** The score change of each kind (negative: a penalty). */
export const REPUTATION_WEIGHTS: Readonly<Record<ReputationChange, number>> = Object.freeze({
  badMessage: -16 * REPUTATION_UNIT,
  badProtocol: 2 * BANNED_REPUTATION,
  badHandshake: -4 * REPUTATION_UNIT,
  badResponse: -8 * REPUTATION_UNIT,
  uselessResponse: -1 * REPUTATION_UNIT,
  timeout: -4 * REPUTATION_UNIT,
  failedToConnect: -25 * REPUTATION_UNIT,
  dropped: -4 * REPUTATION_UNIT,
  usefulResponse: REPUTATION_UNIT / 4,
});

/**
 * Changes that a trusted or static peer does not pay at all, as they can be the network's fault
 * (Reth exempts Dropped, Timeout, BadAnnouncement and AlreadySeenTransaction).
 */
export const PRIVILEGED_EXEMPT: ReadonlySet<ReputationChange> = new Set([
  REPUTATION_CHANGE.dropped,
  REPUTATION_CHANGE.timeout,
  REPUTATION_CHANGE.failedToConnect,
]);

/** Whether `change` is a {@link ReputationChange}. */
export function isReputationChange(change: unknown): change is ReputationChange {
  return typeof change === 'string' && Object.hasOwn(REPUTATION_WEIGHTS, change);
}

/** RLPx errors that are a breach by the remote, not the network failing. */
const BREACH_CODES: ReadonlySet<string> = new Set([
  'ECIES_TOO_SHORT',
  'BAD_KEY',
  'BAD_MAC',
  'BAD_HANDSHAKE',
  'BAD_SIGNATURE',
  'MESSAGE_TOO_BIG',
  'FRAME_TOO_LARGE',
  'BAD_HEADER_MAC',
  'BAD_FRAME_MAC',
  'BAD_FRAME',
  'SNAPPY',
]);

/**
 * The change for a connection or peer that ended with `reason` (ours unless `remoteRequested`)
 * and `error`, or `undefined` when nobody is to blame:
 * - ours: `ProtocolError` and `SubprotocolError` (malformed, oversized, out-of-range messages,
 *   a subprotocol that threw) are `badMessage`; `InvalidIdentity`/`UnexpectedIdentity` are
 *   `badProtocol`; `ReadTimeout` is `timeout`; `UselessPeer`/`IncompatibleVersion` are
 *   `uselessResponse`; a `NetworkError` is `badMessage` when its RLPx error is a breach (a bad
 *   frame MAC, a snappy bomb), `timeout` for an RLPx timeout, nothing otherwise;
 * - the remote's: `TooManyPeers`, `AlreadyConnected`, `ClientQuitting`, `Requested` and `Self`
 *   are nothing; any other reason is `dropped`.
 * Refusals by our own checkpoints (TooManyPeers, AlreadyConnected, Self, a ban with
 * `Requested`) and our quitting are nothing.
 */
export function changeForEnd(
  reason: DiscReason,
  remoteRequested: boolean,
  error?: unknown,
): ReputationChange | undefined {
  if (remoteRequested) return BENIGN_REMOTE.has(reason) ? undefined : REPUTATION_CHANGE.dropped;
  switch (reason) {
    case DiscReason.ProtocolError:
    case DiscReason.SubprotocolError:
      return REPUTATION_CHANGE.badMessage;
    case DiscReason.InvalidIdentity:
    case DiscReason.UnexpectedIdentity:
      return REPUTATION_CHANGE.badProtocol;
    case DiscReason.ReadTimeout:
      return REPUTATION_CHANGE.timeout;
    case DiscReason.UselessPeer:
    case DiscReason.IncompatibleVersion:
      return REPUTATION_CHANGE.uselessResponse;
    case DiscReason.NetworkError:
      return changeForRlpxError(error, REPUTATION_CHANGE.badMessage);
    default:
      return undefined;
  }
}

/**
 * The change for an RLPx error: `breach` for bytes that break the protocol, `timeout` for a
 * timeout, nothing for a closed socket or anything else.
 */
export function changeForRlpxError(
  error: unknown,
  breach: ReputationChange,
): ReputationChange | undefined {
  if (!(error instanceof RlpxError)) return undefined;
  if (error.code === 'TIMEOUT') return REPUTATION_CHANGE.timeout;
  return BREACH_CODES.has(error.code) ? breach : undefined;
}

const BENIGN_REMOTE: ReadonlySet<DiscReason> = new Set([
  DiscReason.TooManyPeers,
  DiscReason.AlreadyConnected,
  DiscReason.ClientQuitting,
  DiscReason.Requested,
  DiscReason.Self,
]);
