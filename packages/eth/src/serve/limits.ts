/**
 * The limits geth applies when it serves data to peers (eth/protocols/eth/handler.go).
 * @see https://github.com/ethereum/go-ethereum/blob/master/eth/protocols/eth/handler.go
 * @module
 */

/** Target maximum size of a response; the item that crosses it is the last one (geth `softResponseLimit`). */
export const SOFT_RESPONSE_LIMIT_BYTES: number = 2 * 1024 * 1024;

/** Maximum number of headers in one BlockHeaders response (geth `maxHeadersServe`). */
export const MAX_HEADERS_SERVE = 1024;

/** Maximum number of bodies in one BlockBodies response (geth `maxBodiesServe`). */
export const MAX_BODIES_SERVE = 1024;

/** Maximum number of receipt lists in one Receipts response (geth `maxReceiptsServe`). */
export const MAX_RECEIPTS_SERVE = 1024;

/** Maximum size of an eth message (geth `maxMessageSize`); eth/70 cuts a receipt list to fit it. */
export const MAX_MESSAGE_SIZE_BYTES: number = 10 * 1024 * 1024;

/**
 * How many non-canonical ancestors a reverse header query by hash may walk before it gives up
 * (geth's `maxNonCanonical` budget in `serviceNonContiguousBlockHeaderQuery`).
 */
export const MAX_NON_CANONICAL_STEPS = 100;

/** Maximum number of block access lists in one BlockAccessLists response (geth `maxBALsServe`). */
export const MAX_ACCESS_LISTS_SERVE = 1024;

/** Size of one blob cell (EIP-7594: 64 field elements of 32 bytes). */
export const CELL_BYTES = 2048;

/**
 * Cells served in one Cells response: what fits the soft response limit (geth
 * `answerGetCells`: `softResponseLimit / 2048`); the transaction that crosses it is the last.
 */
export const MAX_CELLS_SERVE: number = SOFT_RESPONSE_LIMIT_BYTES / CELL_BYTES;
