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
  /**
   * The database cannot be opened for a reason other than corruption (no space left, permission
   * denied, a read-only file system, not a directory): nothing at its path was changed.
   */
  OPEN_FAILED: 'OPEN_FAILED',
} as const;

/** Why a {@link NodeDatabaseError} was raised. */
export type NodeDatabaseErrorCode =
  (typeof NODE_DATABASE_ERROR_CODE)[keyof typeof NODE_DATABASE_ERROR_CODE];

/**
 * A node database failure that the caller can act on: `LOCKED` (the path is in use by another
 * process), `CLOSED` (used after close) or `OPEN_FAILED` (it cannot be opened for a reason other than
 * corruption, and was left untouched). Corruption is not reported this way: the damaged store is
 * moved aside intact and a repaired copy (or an empty store) takes its place.
 */
export class NodeDatabaseError extends CodedError<NodeDatabaseErrorCode> {
  override readonly name: string = 'NodeDatabaseError';
}
