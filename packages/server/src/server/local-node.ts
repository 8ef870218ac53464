/**
 * The server's own record: what `nodeInfo()` and the enode URL advertise.
 * @module
 */
import type { Clock, Logger } from '@ethp2p/base';
import { LocalNode, type LocalSeqStore } from '@ethp2p/enode';

/** The IP advertised when listening on an unspecified address and no external IP is set (geth). */
export const FALLBACK_IP = '127.0.0.1';

/** Keeps the record's seq in memory only: a restart starts over from the clock (see LocalNode). */
class MemorySeqStore implements LocalSeqStore {
  #seq = 0n;

  async localSeq(): Promise<bigint> {
    return this.#seq;
  }

  async storeLocalSeq(_id: Uint8Array, seq: bigint): Promise<void> {
    this.#seq = seq;
  }
}

/** Options of {@link prepareLocalNode}. */
export interface PrepareLocalNodeOptions {
  readonly privateKey: Uint8Array;
  /** A record shared with discovery; when absent a new one is made (and owned). */
  readonly localNode: LocalNode | undefined;
  /** The bound listen host, or undefined when not listening. */
  readonly listenHost: string | undefined;
  /** The bound TCP port, or undefined when not listening. */
  readonly listenPort: number | undefined;
  readonly externalIp: string | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The local node with the server's endpoint set: the `tcp` entry is the bound port, the
 * external IP (if any) is pinned, and for a record the server made itself the fallback IP is
 * the listen IP (127.0.0.1 when that is unspecified). A shared record keeps the fallbacks its
 * owner set.
 * @throws {TypeError} when a shared record belongs to another key
 */
export async function prepareLocalNode(
  options: PrepareLocalNodeOptions,
): Promise<{ localNode: LocalNode; owned: boolean }> {
  const owned = options.localNode === undefined;
  const localNode =
    options.localNode ??
    (await LocalNode.create({
      privateKey: options.privateKey,
      db: new MemorySeqStore(),
      clock: options.clock,
      logger: options.logger,
    }));
  if (owned) {
    const host = options.listenHost;
    localNode.setFallbackIp(host === undefined || isUnspecified(host) ? FALLBACK_IP : host);
  }
  if (options.externalIp !== undefined) localNode.setStaticIp(options.externalIp);
  if (options.listenPort !== undefined) localNode.set('tcp', options.listenPort);
  return { localNode, owned };
}

function isUnspecified(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}
