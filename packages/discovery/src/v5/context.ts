/**
 * What every part of the discv5 service shares: read-only dependencies and the owners of its
 * state (table, counters, talk protocols, task group). Built once by {@link DiscoveryV5}.
 * @module
 */
import type { Clock, Logger, Random, TaskGroup } from '@ethp2p/base';
import type { LocalNode } from '@ethp2p/enode';
import type { Table } from '../table/table.ts';
import type { DiscoveryV5Config } from './config.ts';
import type { V5MetricsCounters } from './metrics.ts';
import type { V5Rpc } from './rpc/types.ts';
import type { TalkProtocols } from './talk.ts';

/** The dependencies and state owners of one discv5 service; every field is read-only. */
export interface V5Context {
  readonly localNode: LocalNode;
  readonly rpc: V5Rpc;
  readonly table: Table;
  readonly talk: TalkProtocols;
  readonly metrics: V5MetricsCounters;
  readonly config: DiscoveryV5Config;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** Whether discovery may use an IP (the `allowIp` option). */
  readonly allowIp: (ip: string) => boolean;
  /** Aborted when the service stops. */
  readonly signal: AbortSignal;
  /** Background work that `stop()` waits for. */
  readonly tasks: TaskGroup;
}
