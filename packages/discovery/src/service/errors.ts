/**
 * Errors of the discv4 service's public calls (`ping`, `requestEnr`, `findnode`, `start`).
 * Argument misuse throws `TypeError` or `RangeError`; an aborted call rejects with
 * `signal.reason`. Bad inbound packets never surface as errors: they are counted and dropped.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** Why a {@link DiscoveryError} was raised. */
export const DISCOVERY_ERROR_CODE = {
  /** No reply arrived in time (geth `errTimeout`). */
  TIMEOUT: 'TIMEOUT',
  /** The service is stopped, or stopped while the call was waiting (geth `errClosed`). */
  CLOSED: 'CLOSED',
  /** The node has no IP address or UDP port to send to. */
  NO_ENDPOINT: 'NO_ENDPOINT',
  /** The ENR response carried a record of another node or with an IP the sender may not relay. */
  BAD_RECORD: 'BAD_RECORD',
  /** The request could not be sent (too many pending requests, the clock jumped). */
  SEND_FAILED: 'SEND_FAILED',
  /** The simulated identity was given a socket that is not in memory (a real UDP socket). */
  SIMULATION_ONLY: 'SIMULATION_ONLY',
} as const;

/** Why a {@link DiscoveryError} was raised. */
export type DiscoveryErrorCode = (typeof DISCOVERY_ERROR_CODE)[keyof typeof DISCOVERY_ERROR_CODE];

/** A failed discovery request. `cause` holds the underlying transport error, if any. */
export class DiscoveryError extends CodedError<DiscoveryErrorCode> {
  override readonly name: string = 'DiscoveryError';
}
