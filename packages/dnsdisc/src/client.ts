/**
 * `DnsClient`: fetches and verifies tree entries over a {@link TxtResolver}, with a rate limit
 * and an entry cache, downloads whole trees, and makes the node sources that sync them lazily
 * (geth `p2p/dnsdisc/client.go`).
 * @module
 */
import {
  type Clock,
  checkPositiveInt,
  checkPositiveMs,
  defaultLogger,
  type Logger,
  type Random,
  systemClock,
  systemRandom,
} from '@ethp2p/base';
import { bytesToHex } from '@ethp2p/crypto';
import { LRUCache } from 'lru-cache';
import { ClientTree } from './client-tree.ts';
import {
  DEFAULT_CACHE_LIMIT,
  DEFAULT_MAX_TREE_ENTRIES,
  DEFAULT_MAX_TREES,
  DEFAULT_RATE_LIMIT,
  DEFAULT_RECHECK_INTERVAL_MS,
  DEFAULT_TIMEOUT_MS,
  RATE_LIMIT_BURST,
  ROOT_PREFIX,
} from './constants.ts';
import {
  hashMatches,
  parseEntry,
  parseLink,
  parseRoot,
  type RootEntry,
  type TreeEntry,
  type TreeLink,
  verifyRoot,
} from './entries.ts';
import { DnsDiscError } from './errors.ts';
import { LinkCache } from './link-cache.ts';
import { DnsNodeSource } from './node-source.ts';
import { RateLimiter } from './rate-limit.ts';
import { dnsResolver, type TxtResolver } from './resolver.ts';
import { Tree } from './tree.ts';

/** Options of {@link DnsClient}; every one has a default. */
export interface DnsClientOptions {
  /** Where TXT records come from (default {@link dnsResolver} over `servers`). */
  readonly resolver?: TxtResolver;
  /** DNS servers for the default resolver (`ip` or `ip:port`); default the system's. */
  readonly servers?: readonly string[];
  /** Time of one lookup in ms (default 5 s). */
  readonly timeoutMs?: number;
  /** Time between checks of a tree's root in ms (default 30 min). */
  readonly recheckIntervalMs?: number;
  /** Entries kept in the cache (default 1000). */
  readonly cacheLimit?: number;
  /** Lookups per second, cached or not (default 3; up to 10 at once); `Infinity`: no limit. */
  readonly rateLimit?: number;
  /** Entries one tree may have (default 100 000); a bigger tree fails with TOO_LARGE. */
  readonly maxTreeEntries?: number;
  /** Trees one node source follows, linked ones included (default 64). */
  readonly maxTrees?: number;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly logger?: Logger;
}

/** The resolved settings, shared with the trees a client syncs. */
export interface ClientConfig {
  readonly timeoutMs: number;
  readonly recheckIntervalMs: number;
  readonly maxTreeEntries: number;
  readonly maxTrees: number;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
}

/**
 * A DNS discovery client. It owns its cache and rate limit; the node sources it makes share
 * them. Safe to use from concurrent callers: lookups of the same entry may both go out, and
 * the cache keeps one.
 * @example
 * ```ts
 * const client = new DnsClient({ servers: ['127.0.0.1:5353'] });
 * const tree = await client.syncTree('enrtree://AKA3AM6L...@all.mainnet.ethdisco.net');
 * ```
 */
export class DnsClient {
  /** The resolved settings. */
  readonly config: ClientConfig;
  readonly #resolver: TxtResolver;
  readonly #limiter: RateLimiter;
  readonly #cache: LRUCache<string, TreeEntry>;

  /** @throws {RangeError} for a non-positive number option; {TypeError} for a bad server */
  constructor(options: DnsClientOptions = {}) {
    const clock = options.clock ?? systemClock;
    const timeoutMs = checkPositiveMs('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.config = {
      timeoutMs,
      recheckIntervalMs: checkPositiveMs(
        'recheckIntervalMs',
        options.recheckIntervalMs ?? DEFAULT_RECHECK_INTERVAL_MS,
      ),
      maxTreeEntries: checkPositiveInt(
        'maxTreeEntries',
        options.maxTreeEntries ?? DEFAULT_MAX_TREE_ENTRIES,
      ),
      maxTrees: checkPositiveInt('maxTrees', options.maxTrees ?? DEFAULT_MAX_TREES),
      clock,
      random: options.random ?? systemRandom,
      logger: options.logger ?? defaultLogger,
    };
    this.#resolver =
      options.resolver ??
      dnsResolver({
        timeoutMs,
        ...(options.servers === undefined ? {} : { servers: options.servers }),
      });
    const rate = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    if (!(rate > 0)) throw new RangeError(`rateLimit: expected a positive number, got ${rate}`);
    this.#limiter = new RateLimiter(clock, rate, RATE_LIMIT_BURST);
    const max = checkPositiveInt('cacheLimit', options.cacheLimit ?? DEFAULT_CACHE_LIMIT);
    this.#cache = new LRUCache({ max });
  }

  /**
   * Downloads and verifies the whole tree at `url`: the signed root, the link subtree, then
   * the node subtree (geth `Client.SyncTree`).
   * @throws {DnsDiscError} for a bad URL, a failed lookup or any bad entry; `signal.reason`
   */
  async syncTree(url: string, options: { readonly signal?: AbortSignal } = {}): Promise<Tree> {
    const signal = options.signal ?? new AbortController().signal;
    signal.throwIfAborted();
    const link = parseLink(url);
    const tree = new ClientTree(this, new LinkCache(), link);
    const { root, entries } = await tree.syncAll(signal);
    return Tree.fromParts(root, entries, link.publicKey);
  }

  /**
   * A node source over the trees at `urls` (and the trees they link to), synced lazily as its
   * iterators are read (geth `Client.NewIterator`).
   * @throws {DnsDiscError} INVALID_URL, NO_PUBKEY or BAD_PUBKEY for a bad URL
   */
  nodeSource(urls: readonly string[]): DnsNodeSource {
    return new DnsNodeSource(
      this,
      urls.map((url) => parseLink(url)),
    );
  }

  /**
   * The verified root of the tree at `link` (geth `resolveRoot`).
   * @throws {DnsDiscError} NO_ROOT, a parse error or INVALID_SIGNATURE, at the domain; LOOKUP_FAILED
   */
  async resolveRoot(link: TreeLink, signal: AbortSignal): Promise<RootEntry> {
    const records = await this.#lookup(link.domain, signal);
    const text = records.find((r) => r.startsWith(ROOT_PREFIX));
    if (text === undefined) {
      throw new DnsDiscError('NO_ROOT', 'no valid root found', { domain: link.domain });
    }
    let root: RootEntry;
    try {
      root = parseRoot(text);
    } catch (err) {
      throw err instanceof DnsDiscError ? err.at(link.domain) : err;
    }
    if (!verifyRoot(root, link.publicKey)) {
      throw new DnsDiscError('INVALID_SIGNATURE', 'invalid root signature', {
        domain: link.domain,
        entry: 'root',
      });
    }
    return root;
  }

  /**
   * The entry at `<hash>.<domain>`, from the cache or the network; the rate limit applies to
   * both, so a consumer that spins on cached entries is still paced (geth `resolveEntry`).
   * @throws {DnsDiscError} NO_ENTRY, HASH_MISMATCH or a parse error, at the name; LOOKUP_FAILED
   */
  async resolveEntry(domain: string, hash: string, signal: AbortSignal): Promise<TreeEntry> {
    await this.#limiter.take(signal);
    const key = `${hash}.${domain}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const records = await this.#lookup(key, signal);
    for (const text of records) {
      let entry: TreeEntry | undefined;
      let failure: unknown;
      try {
        entry = parseEntry(text);
      } catch (err) {
        if (err instanceof DnsDiscError && err.code === 'UNKNOWN_ENTRY') continue;
        failure = err;
      }
      if (!hashMatches(hash, text)) {
        throw new DnsDiscError('HASH_MISMATCH', 'hash mismatch', { domain: key });
      }
      if (entry === undefined) throw failure instanceof DnsDiscError ? failure.at(key) : failure;
      this.#cache.set(key, entry);
      return entry;
    }
    throw new DnsDiscError('NO_ENTRY', 'no valid tree entry found', { domain: key });
  }

  /** The newest cached node record with this node ID (hex), if any. */
  cachedNode(idHex: string): TreeEntry | undefined {
    for (const entry of this.#cache.values()) {
      if (entry.kind === 'enr' && bytesToHex(entry.node.id) === idHex) {
        return entry;
      }
    }
    return undefined;
  }

  async #lookup(name: string, signal: AbortSignal): Promise<string[]> {
    const clock = this.config.clock;
    const timeout = new AbortController();
    const timer = clock.schedule(this.config.timeoutMs, () =>
      timeout.abort(
        new DnsDiscError('LOOKUP_FAILED', `txt lookup of ${name} timed out`, { domain: name }),
      ),
    );
    try {
      return await this.#resolver.resolveTxt(name, {
        signal: AbortSignal.any([signal, timeout.signal]),
      });
    } catch (err) {
      signal.throwIfAborted();
      if (err instanceof DnsDiscError) throw err;
      throw new DnsDiscError(
        'LOOKUP_FAILED',
        `txt lookup of ${name} failed: ${(err as Error).message}`,
        {
          cause: err,
          domain: name,
        },
      );
    } finally {
      timer.cancel();
    }
  }
}
