/**
 * @ethp2p/eth/chain: the pure `serve*` functions that answer eth requests from any
 * `ChainReader` within geth's limits, and `ChainError`, what a chain import fails with. The
 * `Backend` interfaces themselves are in `@ethp2p/eth`; a sample backend is `@ethp2p/chain`.
 * @module
 */

export { serveAccessLists } from '../serve/access-lists.ts';
export { serveBodies } from '../serve/bodies.ts';
export { serveCells } from '../serve/cells.ts';
export type { HeaderQuery } from '../serve/headers.ts';
export { serveHeaders } from '../serve/headers.ts';
export {
  MAX_ACCESS_LISTS_SERVE,
  MAX_BODIES_SERVE,
  MAX_CELLS_SERVE,
  MAX_HEADERS_SERVE,
  MAX_RECEIPTS_SERVE,
  SOFT_RESPONSE_LIMIT_BYTES,
} from '../serve/limits.ts';
export type { ReceiptsOptions, ServedReceipts } from '../serve/receipts.ts';
export { serveReceipts } from '../serve/receipts.ts';
export type { ChainErrorCode, InvalidBlockDetails } from './errors.ts';
export { ChainError } from './errors.ts';
