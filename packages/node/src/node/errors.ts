/**
 * Why the full node could not start: each message is one line that says what to fix.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** Why a {@link NodeError} was raised. */
export const NODE_ERROR_CODE = {
  /** Another running ethp2p holds the datadir's `LOCK`. */
  DATADIR_LOCKED: 'DATADIR_LOCKED',
  /** The datadir (or a file in it) cannot be created, read or written. */
  DATADIR: 'DATADIR',
  /** The TCP or UDP port is taken by another program. */
  PORT_IN_USE: 'PORT_IN_USE',
  /** The address to listen on cannot be bound for another reason (not a local address, ...). */
  LISTEN_FAILED: 'LISTEN_FAILED',
  /** The genesis file is missing, unreadable or not a valid genesis. */
  BAD_GENESIS: 'BAD_GENESIS',
  /** The chain file is missing, unreadable or does not continue the genesis. */
  BAD_CHAIN: 'BAD_CHAIN',
  /** `start()` after `stop()`: a node runs once. */
  CLOSED: 'CLOSED',
} as const;

/** Why a {@link NodeError} was raised. */
export type NodeErrorCode = (typeof NODE_ERROR_CODE)[keyof typeof NODE_ERROR_CODE];

/**
 * A configuration or start-up failure of the full node. The message is complete on its own (the
 * cause is kept for debugging): `datadir /x is in use by another ethp2p (pid 12); stop it or
 * pick another --datadir`.
 */
export class NodeError extends CodedError<NodeErrorCode> {
  override readonly name: string = 'NodeError';
}
