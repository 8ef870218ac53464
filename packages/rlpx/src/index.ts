/**
 * @ethp2p/rlpx: the RLPx transport: the ECIES handshake (EIP-8) and framed, MAC'd,
 * snappy-compressed messages over TCP. This entry point is the contract: dial or accept a
 * connection, then read and write messages. The handshake messages and the frame codec are
 * in `@ethp2p/rlpx/handshake` and `@ethp2p/rlpx/frame`, for tools and interop tests.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md
 * @module
 */

export type { RlpxConnectionOptions, RlpxMessage } from './connection/connection.ts';
export { READ_TIMEOUT_MS, RlpxConnection, WRITE_TIMEOUT_MS } from './connection/connection.ts';
export type { AcceptOptions, ConnectOptions } from './connection/dial.ts';
export { accept, connect } from './connection/dial.ts';
export type { HandshakeOptions } from './connection/handshake-io.ts';
export { HANDSHAKE_TIMEOUT_MS } from './connection/handshake-io.ts';
export type {
  IngressBudgetOptions,
  IngressBudgetStats,
  IngressGrant,
} from './connection/ingress-budget.ts';
export {
  DEFAULT_INGRESS_BUDGET_BYTES,
  DEFAULT_INGRESS_THRESHOLD_BYTES,
  IngressBudget,
} from './connection/ingress-budget.ts';
export type { RlpxErrorCode } from './errors.ts';
export { RlpxError } from './errors.ts';
export { MAX_FRAME_SIZE } from './frame/constants.ts';
export type { SnappyCodec, SnappyImpl } from './frame/snappy.ts';
