/**
 * The TXT lookup seam of the client, and its implementation over `node:dns`.
 * @module
 */
import { Resolver } from 'node:dns/promises';
import { DnsDiscError } from './errors.ts';

/** Looks up TXT records; tests give a map, the node gives {@link dnsResolver}. */
export interface TxtResolver {
  /**
   * The TXT records at `name`, each one's character-strings joined (EIP-1459: a record longer
   * than 255 bytes arrives split). Rejects on failure and with `signal.reason` on abort.
   */
  resolveTxt(name: string, options: { readonly signal: AbortSignal }): Promise<string[]>;
}

/** Options of {@link dnsResolver}. */
export interface DnsResolverOptions {
  /**
   * DNS servers as `ip` or `ip:port` (`[ipv6]:port`); default the system's. Tests point this at
   * a server on loopback.
   */
  readonly servers?: readonly string[];
  /** Time of one query attempt in ms, as `node:dns` counts it (default 5 s). */
  readonly timeoutMs?: number;
}

/**
 * A {@link TxtResolver} over a `node:dns` `Resolver`: one query attempt per lookup (the client
 * retries by itself), aborting cancels it.
 * @throws {TypeError} for a server address `node:dns` refuses
 */
export function dnsResolver(options: DnsResolverOptions = {}): TxtResolver {
  const timeout = options.timeoutMs ?? 5_000;
  const servers = options.servers === undefined ? undefined : [...options.servers];
  // Checked once here, so a bad address fails at construction and not on every lookup.
  if (servers !== undefined) new Resolver().setServers(servers);
  return {
    async resolveTxt(name, { signal }) {
      signal.throwIfAborted();
      const resolver = new Resolver({ timeout, tries: 1 });
      if (servers !== undefined) resolver.setServers(servers);
      const onAbort = (): void => resolver.cancel();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        const records = await resolver.resolveTxt(name);
        return records.map((chunks) => chunks.join(''));
      } catch (err) {
        signal.throwIfAborted();
        const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
        throw new DnsDiscError('LOOKUP_FAILED', `txt lookup of ${name} failed: ${code}`, {
          cause: err,
          domain: name,
        });
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
