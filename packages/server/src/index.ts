/**
 * @ethp2p/server: the devp2p Server: dial scheduler, peer lifecycle, Hello, capability
 * multiplexing and the ping loop.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md
 * @module
 */

export type { MatchedProtocol } from './caps.ts';
export { capsOf, compareCaps, matchProtocols } from './caps.ts';
export type { DialSkipReason } from './dial/check.ts';
export { DIAL_SKIP_REASON } from './dial/check.ts';
export {
  DEFAULT_DIAL_TIMEOUT_MS,
  DIAL_HISTORY_EXPIRATION_MS,
  LOOKUP_INTERVAL_MS,
  MAX_ACTIVE_DIALS,
} from './dial/constants.ts';
export type { DialErrorCode } from './dial/errors.ts';
export { DIAL_ERROR_CODE, DialError } from './dial/errors.ts';
export { DialScheduler } from './dial/scheduler.ts';
export type {
  DialDoneEvent,
  DialFlags,
  DialFunction,
  DialMetrics,
  DialOrigin,
  DialSchedulerEvents,
  DialSchedulerOptions,
  DialStartEvent,
  PeerDialFlag,
} from './dial/types.ts';
export type { MsgErrorCode, PeerErrorOptions } from './errors.ts';
export { discReasonForError, MSG_ERROR_CODE, MsgError, PeerError } from './errors.ts';
export type { RlpDecoded, RlpInput } from './msg.ts';
export { decodeMsg, expectMsg, sendItems, sendMsg } from './msg.ts';
export type { MsgPipeEnd, MsgPipeOptions } from './msg-pipe.ts';
export { msgPipe } from './msg-pipe.ts';
export { NetRestrict } from './netrestrict.ts';
export type { NodeSource, SignalOptions } from './node-source.ts';
export type { HelloExchangeOptions } from './peer/hello-exchange.ts';
export { exchangeHello } from './peer/hello-exchange.ts';
export type { PeerEnd, PeerMsgEvent, PeerOptions } from './peer/peer.ts';
export { Peer } from './peer/peer.ts';
export type { SendDisconnectOptions } from './peer/send-disconnect.ts';
export { sendDisconnect } from './peer/send-disconnect.ts';
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
export type { DialerTuning, NatOption, ServerOptions } from './server/config.ts';
export {
  DEFAULT_DIAL_RATIO,
  DEFAULT_LISTEN_ADDRESS,
  DEFAULT_MAX_PEERS,
  DEFAULT_MAX_PENDING_PEERS,
  DEFAULT_NAME,
  INBOUND_THROTTLE_MS,
} from './server/config.ts';
export type { ServerErrorCode } from './server/errors.ts';
export { SERVER_ERROR_CODE, ServerError } from './server/errors.ts';
export type {
  ConnectionFailedEvent,
  PeerAddedEvent,
  PeerMessageEvent,
  PeerRemovedEvent,
  ServerEvents,
} from './server/events.ts';
export type { NodeInfo, PeerInfo } from './server/info.ts';
export { Server } from './server/server.ts';
export {
  BASE_PROTOCOL_LENGTH,
  BASE_PROTOCOL_MAX_MSG_SIZE,
  BASE_PROTOCOL_VERSION,
  BaseMsgCode,
  DISCONNECT_WRITE_TIMEOUT_MS,
  HELLO_TIMEOUT_MS,
  PING_INTERVAL_MS,
} from './wire/constants.ts';
export type { DiscReasonName } from './wire/disc-reason.ts';
export { DiscReason, discReasonName, discReasonText, isDiscReason } from './wire/disc-reason.ts';
export { decodeDisconnect, encodeDisconnect } from './wire/disconnect.ts';
export type { Hello } from './wire/hello.ts';
export { decodeHello, encodeHello } from './wire/hello.ts';
