/**
 * Errors raised by the node database.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** Why a {@link NodeDatabaseError} was raised. */
export const NODE_DATABASE_ERROR_CODE = {
  /** Another process (or another handle in this process) holds the database's lock. */
  LOCKED: 'LOCKED',
  /** The database was used after `close()`. */
  CLOSED: 'CLOSED',
  /** The database could not be opened or recreated (for example the path is not writable). */
  OPEN_FAILED: 'OPEN_FAILED',
} as const;

/** Why a {@link NodeDatabaseError} was raised. */
export type NodeDatabaseErrorCode =
  (typeof NODE_DATABASE_ERROR_CODE)[keyof typeof NODE_DATABASE_ERROR_CODE];

/**
 * A node database failure that the caller can act on: `LOCKED` (the path is in use by another
 * process), `CLOSED` (used after close) or `OPEN_FAILED` (the path cannot hold a database at all).
 * Corruption is never reported this way: it is repaired or the database is recreated.
 */
export class NodeDatabaseError extends CodedError<NodeDatabaseErrorCode> {
  override readonly name: string = 'NodeDatabaseError';
}
