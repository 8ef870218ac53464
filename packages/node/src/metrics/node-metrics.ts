/**
 * `NodeMetrics`: the node's Prometheus registry (prom-client): the server's and discovery's
 * counters under geth's names, and the process metrics of prom-client's
 * `collectDefaultMetrics`. Values are read from their owners once per scrape.
 * @module
 */
import type { DiscoveryMetrics, DiscoveryV5Metrics } from '@ethp2p/discovery';
import type { Node, NodeId } from '@ethp2p/enode';
import type { ServeBudgetMetrics } from '@ethp2p/eth';
import type { IngressBudgetStats } from '@ethp2p/rlpx';
import type { ReputationMetrics, ServerMetrics } from '@ethp2p/server';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { type DiscoverySnapshot, registerDiscoveryMetrics } from './discovery-metrics.ts';
import { type DiscoveryV5Snapshot, registerDiscoveryV5Metrics } from './discovery-v5-metrics.ts';
import { registerServeBudgetMetrics } from './eth-serve-metrics.ts';
import { registerIngressMetrics } from './ingress-metrics.ts';
import { type ReputationSnapshot, registerReputationMetrics } from './reputation-metrics.ts';
import { registerNewMessageNames, registerServerMetrics } from './server-metrics.ts';

/** Where {@link NodeMetrics} reads from; each is asked once per scrape. */
export interface MetricsSources {
  /**
   * The devp2p server (a `Server`), once it runs. Its `reputation` and `inboundMetrics`, when
   * present, feed the `ethp2p_reputation_*` and `ethp2p_bans_*` metrics, its `ingressMetrics`
   * the `ethp2p_ingress_budget_*` ones.
   */
  server():
    | {
        readonly metrics: ServerMetrics;
        readonly reputation?: { readonly metrics: ReputationMetrics };
        readonly inboundMetrics?: { readonly refused: { readonly banned: number } };
        readonly ingressMetrics?: IngressBudgetStats;
      }
    | undefined;
  /** Discovery (a `DiscoveryV4`), once it runs; undefined when it is off. */
  discovery(): DiscoverySource | undefined;
  /** Discovery v5 (a `DiscoveryV5`), once it runs; undefined (or absent) when it is off. */
  discoveryV5?(): DiscoveryV5Source | undefined;
  /** The eth serve budget (a `ServeBudget`), if any. */
  ethServe?(): { readonly metrics: ServeBudgetMetrics } | undefined;
}

/** What the metrics read from discovery: a `DiscoveryV4` has it. */
export interface DiscoverySource {
  readonly metrics: DiscoveryMetrics;
  nodes(): Node[];
  readonly localNode: { readonly id: NodeId };
}

/** What the metrics read from discovery v5: a `DiscoveryV5` has it. */
export interface DiscoveryV5Source {
  readonly metrics: DiscoveryV5Metrics;
  nodes(): Node[];
  readonly localNode: { readonly id: NodeId };
}

/** Options of {@link NodeMetrics}. */
export interface NodeMetricsOptions {
  readonly sources: MetricsSources;
  /** Add prom-client's process metrics (CPU, memory, event loop, GC; default true). */
  readonly processMetrics?: boolean;
}

/**
 * The registry of one node. {@link NodeMetrics.scrape} takes one snapshot of every owner and
 * renders the text exposition from it; the counters stay with their owners (the server,
 * discovery), so nothing is counted twice and a scrape never changes them.
 */
export class NodeMetrics {
  /** The prom-client registry (for callers that add their own metrics). */
  readonly registry: Registry = new Registry();
  readonly #sources: MetricsSources;
  readonly #messageNames = new Set<string>();
  #server: ServerMetrics | undefined;
  #discovery: DiscoverySnapshot | undefined;
  #discoveryV5: DiscoveryV5Snapshot | undefined;
  #ethServe: ServeBudgetMetrics | undefined;
  #ingress: IngressBudgetStats | undefined;
  #reputation: ReputationSnapshot | undefined;

  constructor(options: NodeMetricsOptions) {
    this.#sources = options.sources;
    registerServerMetrics(this.registry, () => this.#server);
    registerDiscoveryMetrics(this.registry, () => this.#discovery);
    registerDiscoveryV5Metrics(this.registry, () => this.#discoveryV5);
    registerServeBudgetMetrics(this.registry, () => this.#ethServe);
    registerIngressMetrics(this.registry, () => this.#ingress);
    registerReputationMetrics(this.registry, () => this.#reputation);
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** The `Content-Type` of {@link NodeMetrics.scrape}'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text format, from one snapshot of each owner. */
  async scrape(): Promise<string> {
    const server = this.#sources.server();
    const discovery = this.#sources.discovery();
    this.#server = server?.metrics;
    this.#ingress = server?.ingressMetrics;
    const reputation = server?.reputation?.metrics;
    this.#reputation =
      reputation === undefined
        ? undefined
        : { reputation, refusedByIp: server?.inboundMetrics?.refused.banned ?? 0 };
    this.#discovery =
      discovery === undefined
        ? undefined
        : { metrics: discovery.metrics, nodes: discovery.nodes(), self: discovery.localNode.id };
    const v5 = this.#sources.discoveryV5?.();
    this.#discoveryV5 =
      v5 === undefined
        ? undefined
        : { metrics: v5.metrics, nodes: v5.nodes(), self: v5.localNode.id };
    this.#ethServe = this.#sources.ethServe?.()?.metrics;
    if (this.#server !== undefined) {
      registerNewMessageNames(this.registry, this.#server, this.#messageNames, () => this.#server);
    }
    try {
      return await this.registry.metrics();
    } finally {
      this.#server = undefined;
      this.#discovery = undefined;
      this.#discoveryV5 = undefined;
      this.#ethServe = undefined;
      this.#ingress = undefined;
      this.#reputation = undefined;
    }
  }
}
