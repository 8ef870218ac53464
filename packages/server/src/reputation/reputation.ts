/**
 * `Reputation`: the one owner of peer scores and the ban list (Reth `PeersManager`'s
 * reputation and `BanList`).
 * @see https://github.com/paradigmxyz/reth/blob/main/crates/net/network/src/peers.rs
 * @module
 */
import { type Clock, type Logger, silentLogger, systemClock } from '@ethp2p/base';
import { type NodeId, nodeIdToHex, normalizeIp } from '@ethp2p/enode';
import { isLanIp } from '../server/inbound-throttle.ts';
import { type Ban, BanList, type BanStore } from './ban-list.ts';
import {
  isReputationChange,
  PRIVILEGED_EXEMPT,
  REPUTATION_CHANGE,
  REPUTATION_WEIGHTS,
  type ReputationChange,
} from './changes.ts';
import {
  BANNED_REPUTATION,
  DEFAULT_BAN_DURATION_MS,
  DIAL_MIN_REPUTATION,
  MAX_BAN_DURATION_MS,
  MAX_PRIVILEGED_PENALTY,
  PRIVILEGED_FLOOR,
} from './constants.ts';
import { ScoreBook } from './score-book.ts';

/** What a ban or an unban applies to. */
export type BanTargetInput =
  | { readonly kind: 'id'; readonly id: NodeId }
  | { readonly kind: 'ip'; readonly ip: string };

/** Options of {@link Reputation.ban}. */
export interface BanOptions {
  /** How long, in ms (default {@link DEFAULT_BAN_DURATION_MS}, at most 10 years). */
  readonly durationMs?: number;
  /** Why (free text, kept in the store). */
  readonly reason?: string;
}

/** Options of {@link Reputation}; the server fills them in. */
export interface ReputationOptions {
  /** Where bans persist (the node database); none: bans last until the process ends. */
  readonly banStore?: BanStore;
  /** How long a ban by score lasts (default 12 h). */
  readonly banDurationMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /**
   * Whether a LAN or loopback IP (geth `netutil.IsLAN`) may be banned by its score (default
   * false: such an IP is often shared, behind a NAT or by every local node; it is still scored,
   * and `ban()` still bans it).
   */
  readonly banLanIps?: boolean;
  /** Whether node `idHex` is trusted or static: capped penalties, never banned by score. */
  readonly isPrivileged?: (idHex: string) => boolean;
  /** Called synchronously for every new ban (the server drops matching peers). */
  readonly onBan?: (ban: Ban) => void;
}

/** A snapshot of the reputation counters. */
export interface ReputationMetrics {
  /** Node IDs and IPs with a score other than 0. */
  readonly tracked: { readonly ids: number; readonly ips: number };
  /** Bans in force, by kind. */
  readonly banned: { readonly ids: number; readonly ips: number };
  /** Bans made since start: by score, and by hand (`ban()`). */
  readonly bansAdded: { readonly score: number; readonly manual: number };
  /** Changes applied, by kind (penalties a trusted or static peer was exempt from excluded). */
  readonly changes: Readonly<Record<ReputationChange, number>>;
  /** Handshaken connections refused because their node ID is banned. */
  readonly refusedIds: number;
}

/** Where a change came from: the node (if known) and the IP (if known). */
export interface ReportTarget {
  readonly id?: NodeId;
  readonly ip?: string;
}

/**
 * Scores per node ID and per IP, and the ban list. A score starts at 0, takes the weight of
 * each {@link ReputationChange} (penalties are negative) and recovers toward 0 at 1 point per
 * second of the injected clock. A score below {@link BANNED_REPUTATION} bans the node ID or IP
 * for `banDurationMs`; a LAN or loopback IP only with `banLanIps`.
 *
 * Trusted and static peers (`isPrivileged`) are capped in what they can lose: network-blamed
 * changes (timeouts, drops, failed dials) do not count, any other penalty is capped at
 * {@link MAX_PRIVILEGED_PENALTY}, their score never goes below {@link PRIVILEGED_FLOOR}, so they
 * are never banned by score, and their IP is not penalized for them. An explicit
 * {@link Reputation.ban} still bans them.
 *
 * The ban list is consulted before any handshake work: {@link isBannedIp} when a TCP
 * connection or datagram arrives, {@link isBannedId} once the RLPx handshake reveals the key
 * and before every dial. Bans are written through to the `banStore` and loaded by
 * {@link load}.
 *
 * @example
 * ```ts
 * server.reputation.ban({ kind: 'ip', ip: '203.0.113.9' }, { durationMs: 3_600_000 });
 * server.reputation.report('badResponse', { id: peer.id });
 * console.log(server.reputation.score(peer.id), server.reputation.bans());
 * ```
 */
export class Reputation {
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #banDurationMs: number;
  readonly #ids = new ScoreBook();
  readonly #ips = new ScoreBook();
  readonly #bans: BanList;
  readonly #isPrivileged: (idHex: string) => boolean;
  readonly #onBan: (ban: Ban) => void;
  readonly #banLanIps: boolean;
  readonly #changes = Object.fromEntries(
    Object.values(REPUTATION_CHANGE).map((c) => [c, 0]),
  ) as Record<ReputationChange, number>;
  #scoreBans = 0;
  #manualBans = 0;
  #refusedIds = 0;

  /** @throws {RangeError} on a bad `banDurationMs` */
  constructor(options: ReputationOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#banDurationMs = checkDuration(options.banDurationMs ?? DEFAULT_BAN_DURATION_MS);
    this.#isPrivileged = options.isPrivileged ?? (() => false);
    this.#onBan = options.onBan ?? (() => {});
    this.#banLanIps = options.banLanIps ?? false;
    this.#bans = new BanList({
      logger: this.#logger,
      ...(options.banStore === undefined ? {} : { store: options.banStore }),
    });
  }

  /** Loads the persisted bans (the server does it on start); resolves to how many. */
  load(): Promise<number> {
    return this.#bans.load(this.#clock.now());
  }

  /** The score of node `id` now (0 when unknown). */
  score(id: NodeId): number {
    return this.#ids.get(nodeIdToHex(id), this.#clock.now());
  }

  /** The score of `ip` now (0 when unknown or not an address). */
  ipScore(ip: string): number {
    const key = normalizeIp(ip);
    return key === undefined ? 0 : this.#ips.get(key, this.#clock.now());
  }

  /** The score of node `idHex` now; for the dial scheduler. */
  scoreOfHex(idHex: string): number {
    return this.#ids.get(idHex, this.#clock.now());
  }

  /** Whether a dynamic candidate `idHex` scores too low to be dialed. */
  tooLowToDial(idHex: string): boolean {
    return this.scoreOfHex(idHex) < DIAL_MIN_REPUTATION;
  }

  /**
   * Applies `change` to the node `target.id` and to `target.ip` (each if given), and bans either
   * whose score falls below {@link BANNED_REPUTATION}. The IP takes nothing for a trusted or
   * static node.
   * @throws {TypeError} on an unknown change
   */
  report(change: ReputationChange, target: ReportTarget): void {
    if (!isReputationChange(change)) throw new TypeError(`change: unknown ${String(change)}`);
    const now = this.#clock.now();
    const idHex = target.id === undefined ? undefined : nodeIdToHex(target.id);
    const privileged = idHex !== undefined && this.#isPrivileged(idHex);
    let weight = REPUTATION_WEIGHTS[change];
    if (privileged) {
      if (PRIVILEGED_EXEMPT.has(change)) return;
      weight = Math.max(weight, -MAX_PRIVILEGED_PENALTY);
    }
    this.#changes[change]++;
    const reason = `reputation: ${change}`;
    if (idHex !== undefined && target.id !== undefined) {
      const score = this.#ids.add(idHex, weight, now, privileged ? PRIVILEGED_FLOOR : -Infinity);
      if (!privileged && score < BANNED_REPUTATION && this.#bans.id(idHex, now) === undefined) {
        this.#scoreBans++;
        this.#addBan({ kind: 'id', id: target.id, untilMs: now + this.#banDurationMs, reason });
      }
    }
    const ip = target.ip === undefined ? undefined : normalizeIp(target.ip);
    if (ip !== undefined && !privileged) {
      const score = this.#ips.add(ip, weight, now);
      const bannable = this.#banLanIps || !isLanIp(ip);
      if (bannable && score < BANNED_REPUTATION && this.#bans.ip(ip, now) === undefined) {
        this.#scoreBans++;
        this.#addBan({ kind: 'ip', ip, untilMs: now + this.#banDurationMs, reason });
      }
    }
  }

  /**
   * Bans a node ID or an IP now, for `options.durationMs` (replacing any ban of it), and drops
   * the connected peers it matches. Works for trusted and static nodes too.
   * @throws {TypeError} on a bad target; {RangeError} on a bad duration
   */
  ban(target: BanTargetInput, options: BanOptions = {}): Ban {
    const durationMs = checkDuration(options.durationMs ?? this.#banDurationMs);
    const untilMs = this.#clock.now() + durationMs;
    const reason = options.reason ?? 'banned by operator';
    const ban: Ban =
      target?.kind === 'id'
        ? { kind: 'id', id: checkId(target.id), untilMs, reason }
        : { kind: 'ip', ip: checkIp(target), untilMs, reason };
    this.#manualBans++;
    this.#addBan(ban);
    return ban;
  }

  /**
   * Lifts the ban of a node ID or an IP, and forgets its score (a fresh start).
   * @returns whether a ban was in force
   * @throws {TypeError} on a bad target
   */
  unban(target: BanTargetInput): boolean {
    const now = this.#clock.now();
    if (target?.kind === 'id') {
      const key = nodeIdToHex(checkId(target.id));
      this.#ids.delete(key);
      return this.#bans.remove('id', key, now);
    }
    const ip = checkIp(target);
    this.#ips.delete(ip);
    return this.#bans.remove('ip', ip, now);
  }

  /** The bans in force now: node IDs first, then IPs. */
  bans(): Ban[] {
    return this.#bans.list(this.#clock.now());
  }

  /** Whether node `id` is banned now. Cheap: one map lookup. */
  isBannedId(id: Uint8Array): boolean {
    return this.#bans.id(nodeIdToHex(id), this.#clock.now()) !== undefined;
  }

  /** Whether `ip` (any text form) is banned now. Cheap: one map lookup, none when no IP is banned. */
  isBannedIp(ip: string): boolean {
    if (!this.#bans.hasIpBans) return false;
    const now = this.#clock.now();
    if (this.#bans.ip(ip, now) !== undefined) return true;
    const key = normalizeIp(ip);
    return key !== undefined && key !== ip && this.#bans.ip(key, now) !== undefined;
  }

  /** Counts a handshaken connection refused for its banned node ID (the server calls it). */
  countRefusedId(): void {
    this.#refusedIds++;
  }

  /** A snapshot of the counters. */
  get metrics(): ReputationMetrics {
    return {
      tracked: { ids: this.#ids.size, ips: this.#ips.size },
      banned: this.#bans.counts(this.#clock.now()),
      bansAdded: { score: this.#scoreBans, manual: this.#manualBans },
      changes: { ...this.#changes },
      refusedIds: this.#refusedIds,
    };
  }

  /** Resolves once every ban written so far has reached the store. */
  flush(): Promise<void> {
    return this.#bans.flush();
  }

  #addBan(ban: Ban): void {
    this.#bans.add(ban);
    const what = ban.kind === 'id' ? { id: nodeIdToHex(ban.id) } : { ip: ban.ip };
    this.#logger.info('banned', { ...what, untilMs: ban.untilMs, reason: ban.reason });
    this.#onBan(ban);
  }
}

function checkDuration(ms: number): number {
  if (!Number.isSafeInteger(ms) || ms <= 0 || ms > MAX_BAN_DURATION_MS) {
    throw new RangeError(
      `durationMs: expected an integer in (0, ${MAX_BAN_DURATION_MS}], got ${ms}`,
    );
  }
  return ms;
}

function checkId(id: unknown): NodeId {
  if (!(id instanceof Uint8Array) || id.length !== 32) {
    throw new TypeError('id: expected a 32-byte node ID');
  }
  return id as NodeId;
}

function checkIp(target: unknown): string {
  const t = target as { kind?: unknown; ip?: unknown } | undefined;
  if (t?.kind !== 'ip' || typeof t.ip !== 'string') {
    throw new TypeError("target: expected { kind: 'id', id } or { kind: 'ip', ip }");
  }
  const ip = normalizeIp(t.ip);
  if (ip === undefined) throw new TypeError(`ip: expected an IP address, got ${t.ip}`);
  return ip;
}
