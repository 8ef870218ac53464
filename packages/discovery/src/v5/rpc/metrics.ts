/**
 * Counters of `DiscV5Rpc`.
 * @module
 */
import type { SessionDropReason } from '../session/codec.ts';

/** Why an inbound packet, message or record was dropped. */
export type V5DropReason =
  | SessionDropReason
  /** The packet or its message does not decode (WireV5Error). */
  | 'bad-packet'
  /** A message packet we hold no (working) session for: answered with WHOAREYOU. */
  | 'unknown-session'
  /** A WHOAREYOU was not sent: too many pending challenges in total or from the IP. */
  | 'whoareyou-limit'
  /** A WHOAREYOU that answers no packet of ours, or a second one for the same call. */
  | 'unsolicited-whoareyou'
  /** A response that matches no pending call of the sender. */
  | 'unsolicited-response'
  /** A NODES record that is invalid, not relayable, or a duplicate. */
  | 'bad-nodes-record'
  /** A NODES record at a distance the FINDNODE did not ask for. */
  | 'wrong-distance'
  /** A request message arrived as a response or vice versa. */
  | 'unexpected-message'
  /** The TALKREQ handler threw: answered with an empty TALKRESP. */
  | 'talk-handler-error'
  /** From a banned IP (before decoding) or a banned node ID. */
  | 'banned';

/** A snapshot of the counters. */
export interface DiscV5RpcMetrics {
  readonly packetsIn: number;
  readonly packetsOut: number;
  /** Handshakes we completed as initiator (a response arrived on the new session). */
  readonly handshakesInitiated: number;
  /** Handshakes we accepted as recipient. */
  readonly handshakesAccepted: number;
  readonly whoareyouSent: number;
  readonly dropped: Readonly<Record<V5DropReason, number>>;
  readonly sessions: number;
  readonly pendingChallenges: number;
  readonly pendingCalls: number;
}

const REASONS: readonly V5DropReason[] = [
  'unexpected-handshake',
  'bad-record',
  'bad-signature',
  'bad-ephemeral-key',
  'undecryptable-handshake',
  'session-ip-limit',
  'bad-packet',
  'unknown-session',
  'whoareyou-limit',
  'unsolicited-whoareyou',
  'unsolicited-response',
  'bad-nodes-record',
  'wrong-distance',
  'unexpected-message',
  'talk-handler-error',
  'banned',
];

/** Mutable counters, owned by one `DiscV5Rpc`. */
export class RpcCounters {
  packetsIn = 0;
  packetsOut = 0;
  handshakesInitiated = 0;
  handshakesAccepted = 0;
  whoareyouSent = 0;
  readonly dropped = Object.fromEntries(REASONS.map((r) => [r, 0])) as Record<V5DropReason, number>;

  drop(reason: V5DropReason): void {
    this.dropped[reason] += 1;
  }
}
