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

/** One labelled metric: kind, name, help, label name, and its series from a snapshot. */
type Family = readonly [
  kind: 'counter' | 'gauge',
  name: string,
  help: string,
  label: string,
  read: (s: ReputationSnapshot) => readonly Series[],
];

const byKind = (pair: { readonly ids: number; readonly ips: number }): readonly Series[] => [
  [{ kind: 'id' }, pair.ids],
  [{ kind: 'ip' }, pair.ips],
];

const FAMILIES: readonly Family[] = [
  [
    'gauge',
    'ethp2p_bans_active',
    'bans in force, by kind (node id or ip)',
    'kind',
    (s) => byKind(s.reputation.banned),
  ],
  [
    'counter',
    'ethp2p_bans_added_total',
    'bans made, by source (score: the reputation fell below the threshold; manual: ban())',
    'source',
    (s) => [
      [{ source: 'score' }, s.reputation.bansAdded.score],
      [{ source: 'manual' }, s.reputation.bansAdded.manual],
    ],
  ],
  [
    'counter',
    'ethp2p_bans_refused_total',
    'connections refused for a ban: by ip before the handshake, by node id right after it',
    'stage',
    (s) => [
      [{ stage: 'listener' }, s.refusedByIp],
      [{ stage: 'handshake' }, s.reputation.refusedIds],
    ],
  ],
  [
    'counter',
    'ethp2p_reputation_changes_total',
    'reputation changes applied, by kind',
    'kind',
    (s) => Object.entries(s.reputation.changes).map(([kind, n]) => [{ kind }, n] as const),
  ],
  [
    'gauge',
    'ethp2p_reputation_tracked',
    'node ids and ips with a reputation score other than 0',
    'kind',
    (s) => byKind(s.reputation.tracked),
  ],
];

/** Registers the reputation and ban metrics; all read `snap()` (undefined: no series). */
export function registerReputationMetrics(
  registry: Registry,
  snap: () => ReputationSnapshot | undefined,
): void {
  for (const [kind, name, help, label, read] of FAMILIES) {
    const reader = (): readonly Series[] | undefined => {
      const s = snap();
      return s === undefined ? undefined : read(s);
    };
    scraped(kind, registry, name, help, reader, [label]);
  }
}
