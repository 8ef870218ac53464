/**
 * One tree being synced: its root, checked again on an interval, and the walks of its link and
 * node subtrees (geth `p2p/dnsdisc/sync.go` `clientTree`, `subtreeSync`).
 * @module
 */
import { sleep } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import type { DnsClient } from './client.ts';
import { ROOT_RECHECK_FAIL_COUNT } from './constants.ts';
import { linkUrl, type RootEntry, type TreeEntry, type TreeLink } from './entries.ts';
import { DnsDiscError } from './errors.ts';
import type { LinkCache } from './link-cache.ts';

/**
 * The walk of one subtree: the hashes still to fetch. Every hash is fetched once: a subtree that
 * names an entry twice fails with LOOP, one over the client's entry limit with TOO_LARGE.
 */
export class SubtreeSync {
  readonly root: string;
  readonly isLinkTree: boolean;
  /** Hashes still to fetch. */
  readonly missing: string[];
  /** Leaves (nodes or links) fetched. */
  leaves = 0;
  readonly #seen: Set<string>;
  readonly #client: DnsClient;
  readonly #domain: string;

  constructor(client: DnsClient, domain: string, root: string, isLinkTree: boolean) {
    this.#client = client;
    this.#domain = domain;
    this.root = root;
    this.isLinkTree = isLinkTree;
    this.missing = [root];
    this.#seen = new Set([root]);
  }

  get done(): boolean {
    return this.missing.length === 0;
  }

  /**
   * Fetches the missing entry at `index`, removes it from {@link SubtreeSync.missing} and queues
   * its children. The caller must not start another fetch of this walk until this one settles.
   * @throws {DnsDiscError} for a bad entry (the hash stays missing), or `signal.reason`
   */
  async fetch(index: number, signal: AbortSignal): Promise<TreeEntry> {
    const hash = this.missing[index] ?? '';
    const entry = await this.#client.resolveEntry(this.#domain, hash, signal);
    const name = `${hash}.${this.#domain}`;
    if (entry.kind === 'enr' && this.isLinkTree) {
      throw new DnsDiscError('ENR_IN_LINK_TREE', 'enr entry in link tree', { domain: name });
    }
    if (entry.kind === 'link' && !this.isLinkTree) {
      throw new DnsDiscError('LINK_IN_ENR_TREE', 'link entry in enr tree', { domain: name });
    }
    if (entry.kind === 'branch') this.#queue(entry.children, name);
    else this.leaves++;
    // Swap-remove: the order of the missing hashes does not matter.
    const last = this.missing.pop();
    if (last !== undefined && index < this.missing.length) this.missing[index] = last;
    return entry;
  }

  #queue(children: readonly string[], name: string): void {
    const max = this.#client.config.maxTreeEntries;
    if (this.#seen.size + children.length > max) {
      throw new DnsDiscError('TOO_LARGE', `tree has more than ${max} entries`, { domain: name });
    }
    const fresh = new Set(children);
    if (fresh.size !== children.length || children.some((c) => this.#seen.has(c))) {
      throw new DnsDiscError('LOOP', 'subtree reaches an entry twice', { domain: name });
    }
    for (const child of children) this.#seen.add(child);
    this.missing.push(...children);
  }
}

/** A tree synced entry by entry. Owned by one node source (or one `syncTree` call). */
export class ClientTree {
  readonly link: TreeLink;
  readonly #client: DnsClient;
  readonly #links: LinkCache;
  #root: RootEntry | undefined;
  #lastRootCheck = Number.NEGATIVE_INFINITY;
  #leafFailCount = 0;
  #rootFailCount = 0;
  #enrs: SubtreeSync | undefined;
  #linkSync: SubtreeSync | undefined;
  /** Links found in the current link subtree. */
  #curLinks = new Set<string>();
  /** The link root on which links were last garbage-collected. */
  #linkGcRoot = '';

  constructor(client: DnsClient, links: LinkCache, link: TreeLink) {
    this.#client = client;
    this.#links = links;
    this.link = link;
  }

  /**
   * Fetches the whole tree: the root, then every link, then every node (geth `syncAll`).
   * @throws {DnsDiscError} at the first bad entry or failed lookup; `signal.reason`
   */
  async syncAll(
    signal: AbortSignal,
  ): Promise<{ root: RootEntry; entries: Map<string, TreeEntry> }> {
    const root = await this.#updateRoot(signal);
    const entries = new Map<string, TreeEntry>();
    for (const walk of [this.#linkSync, this.#enrs]) {
      while (walk !== undefined && !walk.done) {
        const hash = walk.missing[0] ?? '';
        entries.set(hash, await walk.fetch(0, signal));
      }
    }
    return { root, entries };
  }

  /**
   * Fetches one entry: the root when a check is due, else the next link, else a random
   * missing node entry, starting the node walk over once it is done. Returns the node when the
   * entry was one (geth `syncRandom`).
   * @throws {DnsDiscError} for a failed lookup or a bad entry; `signal.reason`
   */
  async syncRandom(signal: AbortSignal): Promise<Node | undefined> {
    if (this.#rootUpdateDue()) await this.#updateRoot(signal);
    const links = this.#linkSync;
    const enrs = this.#enrs;
    if (links === undefined || enrs === undefined) return undefined;
    try {
      if (!links.done) {
        const entry = await links.fetch(0, signal);
        if (entry.kind === 'link') {
          this.#links.addLink(this.link.text, entry.link.text);
          this.#curLinks.add(entry.link.text);
        }
        return undefined;
      }
      this.#gcLinks(links);
      const walk = enrs.done ? this.#restartEnrs(enrs) : enrs;
      const entry = await walk.fetch(this.#client.config.random.intn(walk.missing.length), signal);
      return entry.kind === 'enr' ? entry.node : undefined;
    } catch (err) {
      if (!signal.aborted) this.#leafFailCount++;
      throw err;
    }
  }

  /**
   * Whether {@link ClientTree.syncRandom} can do anything: a root check is due, a walk has
   * entries left, or the node walk found nodes and can start over. An empty tree cannot.
   */
  canSyncRandom(): boolean {
    return (
      this.#rootUpdateDue() ||
      this.#linkSync?.done === false ||
      this.#enrs?.done === false ||
      (this.#enrs?.leaves ?? 0) > 0
    );
  }

  /** When the next scheduled root check falls due (clock ms). */
  nextRootCheckAt(): number {
    return this.#lastRootCheck + this.#client.config.recheckIntervalMs;
  }

  toString(): string {
    return linkUrl(this.link);
  }

  #restartEnrs(done: SubtreeSync): SubtreeSync {
    const walk = new SubtreeSync(this.#client, this.link.domain, done.root, false);
    this.#enrs = walk;
    return walk;
  }

  /** Once the link walk is done on a new link root, drops the links it no longer has. */
  #gcLinks(links: SubtreeSync): void {
    if (links.root === this.#linkGcRoot) return;
    this.#links.resetLinks(this.link.text, this.#curLinks);
    this.#linkGcRoot = links.root;
  }

  #rootUpdateDue(): boolean {
    const clock = this.#client.config.clock;
    return (
      this.#root === undefined ||
      this.#leafFailCount > ROOT_RECHECK_FAIL_COUNT ||
      clock.now() >= this.nextRootCheckAt()
    );
  }

  /** Fetches the root; a new subtree root restarts that walk (geth `updateRoot`). */
  async #updateRoot(signal: AbortSignal): Promise<RootEntry> {
    const { clock } = this.#client.config;
    // Back off when the root keeps failing, so an offline client does not spin (geth
    // `slowdownRootUpdate`).
    const delay = this.#rootFailCount > 20 ? 10_000 : this.#rootFailCount > 5 ? 5_000 : 0;
    await sleep(clock, delay, signal);
    this.#lastRootCheck = clock.now();
    let root: RootEntry;
    try {
      root = await this.#client.resolveRoot(this.link, signal);
    } catch (err) {
      if (!signal.aborted) this.#rootFailCount++;
      throw err;
    }
    this.#root = root;
    this.#rootFailCount = 0;
    this.#leafFailCount = 0;
    const domain = this.link.domain;
    if (this.#linkSync?.root !== root.linkRoot) {
      this.#linkSync = new SubtreeSync(this.#client, domain, root.linkRoot, true);
      this.#curLinks = new Set();
    }
    if (this.#enrs?.root !== root.enrRoot) {
      this.#enrs = new SubtreeSync(this.#client, domain, root.enrRoot, false);
    }
    return root;
  }
}
