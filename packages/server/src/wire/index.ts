/**
 * @ethp2p/server/wire: the devp2p base protocol ("p2p" capability) on the wire, for tools,
 * interop tests and clients that drive a connection themselves: the Hello and Disconnect
 * codecs, the Hello exchange over an RLPx connection, a polite disconnect, capability matching
 * and the protocol's constants.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#p2p-capability
 * @module
 */

export type { MatchedProtocol } from '../caps.ts';
export { capsOf, compareCaps, matchProtocols } from '../caps.ts';
export type { HelloExchangeOptions } from '../peer/hello-exchange.ts';
export { exchangeHello } from '../peer/hello-exchange.ts';
export type { SendDisconnectOptions } from '../peer/send-disconnect.ts';
export { sendDisconnect } from '../peer/send-disconnect.ts';
export {
  BASE_PROTOCOL_LENGTH,
  BASE_PROTOCOL_MAX_MSG_SIZE,
  BASE_PROTOCOL_VERSION,
  BaseMsgCode,
  DISCONNECT_WRITE_TIMEOUT_MS,
  HELLO_TIMEOUT_MS,
  PING_INTERVAL_MS,
} from './constants.ts';
export { decodeDisconnect, encodeDisconnect } from './disconnect.ts';
export type { Hello } from './hello.ts';
export { decodeHello, encodeHello } from './hello.ts';
