/**
 * Limits and timeouts of the discv5 session layer.
 * @module
 */

/** Sessions kept at most; the least recently used is dropped first (geth `NewSessionCache(1024)`). */
export const SESSION_CACHE_SIZE = 1024;
/** A session unused for this long is forgotten (@chainsafe/discv5 `sessionTimeout`, 24 h). */
export const SESSION_TIMEOUT_MS = 86_400_000;
/** How long a WHOAREYOU we sent stays valid (geth `handshakeTimeout`, discv5-wire.md: 1 s). */
export const HANDSHAKE_TIMEOUT_MS = 1000;
/** WHOAREYOU challenges we keep pending at most, so a flood of senders cannot grow memory. */
export const MAX_PENDING_CHALLENGES = 1024;
/** Sessions per remote IP (limits apply to non-exempt IPs, by default every non-LAN IP). */
export const MAX_SESSIONS_PER_IP = 16;
/** Pending WHOAREYOU challenges per remote IP. */
export const MAX_CHALLENGES_PER_IP = 8;
