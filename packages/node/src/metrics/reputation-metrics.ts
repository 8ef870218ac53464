/**
 * The reputation and ban list metrics (`ethp2p_reputation_*`, `ethp2p_bans_*`; geth has none),
 * read from `Server.reputation.metrics` and `Server.inboundMetrics` at scrape time.
 * @module
 */
import type { ReputationMetrics } from '@ethp2p/server';
import type { Registry } from 'prom-client';
import { type Series, scraped } from './collect.ts';

/** What one scrape reads: the reputation counters, and the listener's refusals of banned IPs. */
export interface ReputationSnapshot {
  readonly reputation: ReputationMetrics;
  /** Sockets the listener closed unread because their IP is banned. */
  readonly refusedByIp: number;
}

/** Registers the reputation and ban metrics; all read `snap()` (undefined: no series). */
export function registerReputationMetrics(
  registry: Registry,
  snap: () => ReputationSnapshot | undefined,
): void {
  const series = (pick: (s: ReputationSnapshot) => readonly Series[]) => () => {
    const s = snap();
    return s === undefined ? undefined : pick(s);
  };
  scraped(
    'gauge',
    registry,
    'ethp2p_bans_active',
    'bans in force, by kind (node id or ip)',
    series((s) => [
      [{ kind: 'id' }, s.reputation.banned.ids],
      [{ kind: 'ip' }, s.reputation.banned.ips],
    ]),
    ['kind'],
  );
  scraped(
    'counter',
    registry,
    'ethp2p_bans_added_total',
    'bans made, by source (score: the reputation fell below the threshold; manual: ban())',
    series((s) => [
      [{ source: 'score' }, s.reputation.bansAdded.score],
      [{ source: 'manual' }, s.reputation.bansAdded.manual],
    ]),
    ['source'],
  );
  scraped(
    'counter',
    registry,
    'ethp2p_bans_refused_total',
    'connections refused for a ban: by ip before the handshake, by node id right after it',
    series((s) => [
      [{ stage: 'listener' }, s.refusedByIp],
      [{ stage: 'handshake' }, s.reputation.refusedIds],
    ]),
    ['stage'],
  );
  scraped(
    'counter',
    registry,
    'ethp2p_reputation_changes_total',
    'reputation changes applied, by kind',
    series((s) => Object.entries(s.reputation.changes).map(([kind, n]) => [{ kind }, n] as const)),
    ['kind'],
  );
  scraped(
    'gauge',
    registry,
    'ethp2p_reputation_tracked',
    'node ids and ips with a reputation score other than 0',
    series((s) => [
      [{ kind: 'id' }, s.reputation.tracked.ids],
      [{ kind: 'ip' }, s.reputation.tracked.ips],
    ]),
    ['kind'],
  );
}
