/**
 * Why a sharded simulation failed.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** Why a {@link SimError} was raised. */
export const SIM_ERROR_CODE = {
  /** A shard worker threw, or exited, while the simulation ran. */
  SHARD_FAILED: 'SHARD_FAILED',
  /** The shards were closed while the request was pending. */
  CLOSED: 'CLOSED',
  /** The shard worker script is not built. */
  WORKER_MISSING: 'WORKER_MISSING',
} as const;

/** Why a {@link SimError} was raised. */
export type SimErrorCode = (typeof SIM_ERROR_CODE)[keyof typeof SIM_ERROR_CODE];

/** A failed sharded simulation: `new SimError('SHARD_FAILED', 'shard 1 exited with code 7')`. */
export class SimError extends CodedError<SimErrorCode> {
  override readonly name: string = 'SimError';
}
