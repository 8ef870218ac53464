/**
 * Protocol constants of the discv4 transport and reply matcher (go-ethereum defaults).
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md
 * @module
 */
import { MAX_DATAGRAM_SIZE } from '../wire/constants.ts';

/** How long a request waits for its reply, counted from registration (geth `respTimeout`). */
export const RESPONSE_TIMEOUT_MS = 500;

/** Consecutive reply timeouts after which clock drift is suspected (geth `ntpFailureThreshold`). */
export const NTP_FAILURE_THRESHOLD = 32;

/** Minimum time between two clock-drift warnings (geth `ntpWarningCooldown`, 10 min). */
export const NTP_WARNING_COOLDOWN_MS = 600_000;

/**
 * Largest datagram handed to the message handler; bigger ones are dropped. 1280 bytes, the wire
 * codec's bound (`MAX_DATAGRAM_SIZE`): what we send at most (discv4.md "Packet Encoding") and
 * what go-ethereum reads (its discv4 and discv5 read buffers are 1280 bytes).
 */
export const MAX_DATAGRAM_SIZE_BYTES: number = MAX_DATAGRAM_SIZE;

/** Default cap on requests waiting in one reply matcher, so a flood cannot grow memory. */
export const MAX_PENDING_REPLIES = 4096;
