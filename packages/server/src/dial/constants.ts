/**
 * The dial scheduler's constants: go-ethereum's values (`p2p/dial.go`, `p2p/server.go`, and the
 * 2019 `dialstate` for the task model), in milliseconds on the injected clock.
 * @module
 */

/** Dial tasks that may run at once, static and dynamic together (geth 2019 `maxActiveDialTasks`). */
export const MAX_ACTIVE_DIALS = 16;

/**
 * How long one dial attempt may take, connect to added peer, before it is aborted (geth
 * `defaultDialTimeout`).
 */
export const DEFAULT_DIAL_TIMEOUT_MS = 15_000;

/**
 * A dialed node is not dialed again for this long after the dial started (geth
 * `dialHistoryExpiration` = `inboundThrottleTime` (30 s) + 5 s, so that the remote's inbound
 * throttle has expired when we come back).
 */
export const DIAL_HISTORY_EXPIRATION_MS = 35_000;

/**
 * The least time between the starts of two `discoverTask` lookups, and before a random-nodes
 * stream that ended is opened again (geth 2019 `lookupInterval`).
 */
export const LOOKUP_INTERVAL_MS = 4_000;

/** First wait before a failing static node is resolved again (geth `initialResolveDelay`). */
export const INITIAL_RESOLVE_DELAY_MS = 60_000;

/** The resolve wait doubles while the node is not found, up to this (geth `maxResolveDelay`). */
export const MAX_RESOLVE_DELAY_MS = 3_600_000;

/**
 * A candidate stream that yields this many unusable nodes in a row (self, connected, recently
 * dialed, outside NetRestrict, ...) is closed and reopened after {@link LOOKUP_INTERVAL_MS}, so a
 * source that keeps offering the same nodes cannot make the scheduler spin.
 */
export const MAX_USELESS_CANDIDATES = 64;

/**
 * How long a draw of the `FairMix` waits for the source whose turn it is before it takes a
 * node from any source (geth `eth/backend.go` `discmixTimeout`, sized for a source giving about
 * ten candidates a second).
 */
export const FAIR_MIX_TIMEOUT_MS = 100;
