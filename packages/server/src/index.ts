/**
 * @ethp2p/server: the devp2p Server: dial scheduler, peer lifecycle, Hello, capability
 * multiplexing and the ping loop. The wire codecs of the base protocol (Hello, Disconnect, the
 * Hello exchange, capability matching) are in `@ethp2p/server/wire`.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md
 * @module
 */

export type { MatchedProtocol } from './caps.ts';
export type { DialSkipReason } from './dial/check.ts';
export {
  DEFAULT_DIAL_TIMEOUT_MS,
  DIAL_HISTORY_EXPIRATION_MS,
  FAIR_MIX_TIMEOUT_MS,
  LOOKUP_INTERVAL_MS,
  MAX_ACTIVE_DIALS,
} from './dial/constants.ts';
export type { FairMixOptions } from './dial/fair-mix.ts';
export { FairMix } from './dial/fair-mix.ts';
export type { DialMetrics } from './dial/types.ts';
export type { MsgErrorCode, PeerErrorOptions } from './errors.ts';
export { discReasonForError, MSG_ERROR_CODE, MsgError, PeerError } from './errors.ts';
export type { RlpDecoded, RlpInput } from './msg.ts';
export { decodeMsg, expectMsg, sendItems, sendMsg } from './msg.ts';
export type { MsgPipeEnd, MsgPipeOptions } from './msg-pipe.ts';
export { msgPipe } from './msg-pipe.ts';
export { NetRestrict } from './netrestrict.ts';
export type { NodeSource, SignalOptions } from './node-source.ts';
export type { Peer, PeerEnd, PeerTraffic } from './peer/peer.ts';
export type { PeerRtt } from './peer/rtt.ts';
export type {
  Cap,
  Msg,
  MsgReader,
  MsgReadWriter,
  MsgWriter,
  Protocol,
  ProtocolPeer,
  RunOptions,
} from './protocol.ts';
export type { Ban, BanStore } from './reputation/ban-list.ts';
export type { ReputationChange } from './reputation/changes.ts';
export { REPUTATION_CHANGE, REPUTATION_WEIGHTS } from './reputation/changes.ts';
export {
  BANNED_REPUTATION,
  DEFAULT_BAN_DURATION_MS,
  DIAL_MIN_REPUTATION,
  MAX_BAN_DURATION_MS,
  MAX_PRIVILEGED_PENALTY,
  PRIVILEGED_FLOOR,
  REPUTATION_UNIT,
} from './reputation/constants.ts';
export type {
  BanOptions,
  BanTargetInput,
  ReportTarget,
  ReputationMetrics,
  ReputationOptions,
} from './reputation/reputation.ts';
export { Reputation } from './reputation/reputation.ts';
export type { DialerTuning, NatOption, ServerOptions } from './server/config.ts';
export {
  DEFAULT_DIAL_RATIO,
  DEFAULT_HANDSHAKE_IDLE_TIMEOUT_MS,
  DEFAULT_LISTEN_ADDRESS,
  DEFAULT_MAX_PEERS,
  DEFAULT_MAX_PENDING_PEERS,
  DEFAULT_MAX_PENDING_PER_IP,
  DEFAULT_NAME,
  INBOUND_THROTTLE_MS,
} from './server/config.ts';
export type { ServerErrorCode } from './server/errors.ts';
export { SERVER_ERROR_CODE, ServerError } from './server/errors.ts';
export type {
  ConnectionFailedEvent,
  DialFailedEvent,
  PeerAddedEvent,
  PeerMessageEvent,
  PeerRemovedEvent,
  ServerEvents,
} from './server/events.ts';
export type { NodeInfo, PeerInfo } from './server/info.ts';
export type { InboundMetrics, InboundRejection } from './server/listener.ts';
export type {
  ConnectionCounts,
  ConnectionErrorClass,
  DurationHistogram,
  MessageTraffic,
  ProtocolTraffic,
  ServerMetrics,
} from './server/metrics.ts';
export { CONNECTION_ERROR, HANDSHAKE_BUCKETS_SECONDS } from './server/metrics.ts';
export { Server } from './server/server.ts';
export type { DiscReasonName } from './wire/disc-reason.ts';
export { DiscReason, discReasonName, discReasonText, isDiscReason } from './wire/disc-reason.ts';
