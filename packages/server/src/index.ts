/**
 * @ethp2p/server: the devp2p Server: dial scheduler, peer lifecycle, Hello, capability
 * multiplexing and the ping loop.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md
 * @module
 */

export type { NodeSource, SignalOptions } from './node-source.ts';
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
