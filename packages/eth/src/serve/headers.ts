/**
 * Serving GetBlockHeaders: the headers a query asks for, as geth picks them, within geth's
 * limits. Pure: reads the chain, never throws on a query a peer could send.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#getblockheaders-0x03
 * @see https://github.com/ethereum/go-ethereum/blob/master/eth/protocols/eth/handlers.go
 * @module
 */
import { equalBytes } from '@ethp2p/crypto';
import type { ChainHeader, ChainReader } from '../chain/types.ts';
import { MAX_HEADERS_SERVE, MAX_NON_CANONICAL_STEPS, SOFT_RESPONSE_LIMIT_BYTES } from './limits.ts';

const MAX_U64 = 2n ** 64n - 1n;

/** The start of a header query: a block hash (any known block) or a canonical block number. */
export type HeaderOrigin = { readonly hash: Uint8Array } | { readonly number: bigint };

/** A GetBlockHeaders query (without its request id). */
export interface HeaderQuery {
  readonly origin: HeaderOrigin;
  /** How many headers at most (u64). */
  readonly amount: bigint;
  /** How many blocks to leave out between two returned headers (u64). */
  readonly skip: bigint;
  /** Towards the genesis block when true, towards the head when false. */
  readonly reverse: boolean;
}

/**
 * The RLP of the headers a GetBlockHeaders query asks for: from the origin, `skip + 1` blocks
 * apart, rising or falling, at most `amount`, {@link MAX_HEADERS_SERVE} and until the response
 * reaches {@link SOFT_RESPONSE_LIMIT_BYTES}. The list ends early at either end of the chain, at an
 * unknown block, and where a step would leave the u64 range; an unknown origin gives an empty
 * list. As in geth, a hash origin may be a non-canonical block: walking forward from it gives
 * only the origin, walking back follows its ancestors.
 * @throws {RangeError} when `amount` or `skip` is not a u64 (a decoded request always is)
 */
export function serveHeaders(chain: ChainReader, query: HeaderQuery): Uint8Array[] {
  checkU64('amount', query.amount);
  checkU64('skip', query.skip);
  const limit = query.amount < BigInt(MAX_HEADERS_SERVE) ? Number(query.amount) : MAX_HEADERS_SERVE;
  const byHash = 'hash' in query.origin;
  const step = query.skip + 1n;
  const out: Uint8Array[] = [];
  let bytes = 0;
  const budget = { steps: MAX_NON_CANONICAL_STEPS };
  let current = limit > 0 ? originHeader(chain, query.origin) : undefined;
  while (current !== undefined) {
    out.push(current.rlp);
    bytes += current.rlp.length;
    if (out.length >= limit || bytes >= SOFT_RESPONSE_LIMIT_BYTES) break;
    current = query.reverse
      ? previous(chain, current, step, budget)
      : next(chain, current, step, byHash);
  }
  return out;
}

function checkU64(field: string, value: bigint): void {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_U64) {
    throw new RangeError(`${field}: expected a u64 bigint, got ${String(value)}`);
  }
}

function originHeader(chain: ChainReader, origin: HeaderOrigin): ChainHeader | undefined {
  if ('hash' in origin) return chain.headerByHash(origin.hash);
  return origin.number >= 0n && origin.number <= MAX_U64
    ? chain.headerByNumber(origin.number)
    : undefined;
}

function isCanonical(chain: ChainReader, header: ChainHeader): boolean {
  const canonical = chain.headerByNumber(header.number);
  return canonical !== undefined && equalBytes(canonical.hash, header.hash);
}

/** The canonical header `step` blocks above `current`, if `current` is canonical. */
function next(
  chain: ChainReader,
  current: ChainHeader,
  step: bigint,
  byHash: boolean,
): ChainHeader | undefined {
  const target = current.number + step;
  if (target > MAX_U64) return undefined;
  // Descendants of a block are only known along the canonical chain (geth checks the ancestry).
  if (byHash && !isCanonical(chain, current)) return undefined;
  return chain.headerByNumber(target);
}

/**
 * The ancestor `step` blocks below `current`: by number once on the canonical chain, by parent
 * hash before that, spending at most `budget.steps` non-canonical steps in one query.
 */
function previous(
  chain: ChainReader,
  current: ChainHeader,
  step: bigint,
  budget: { steps: number },
): ChainHeader | undefined {
  if (current.number < step) return undefined;
  const target = current.number - step;
  let header: ChainHeader | undefined = current;
  while (header !== undefined && header.number > target) {
    if (isCanonical(chain, header)) return chain.headerByNumber(target);
    if (budget.steps <= 0) return undefined;
    budget.steps--;
    header = chain.headerByHash(header.parentHash);
  }
  return header !== undefined && header.number === target ? header : undefined;
}
