import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import type { DiscoveryMetrics, DiscoveryV5Metrics } from '@ethp2p/discovery';
import { logDistance, Node, nodeIdFromPublicKey } from '@ethp2p/enode';
import type { ServeBudgetMetrics } from '@ethp2p/eth';
import {
  CONNECTION_ERROR,
  REPUTATION_CHANGE,
  type ReputationMetrics,
  type ServerMetrics,
} from '@ethp2p/server';
import { describe, expect, it } from 'vitest';
import { gethCode, gethMessageName, gethName } from '../../src/metrics/names.ts';
import { type MetricsSources, NodeMetrics } from '../../src/metrics/node-metrics.ts';
import { type Families, ownFamilies, parseFamilies, sampleValue } from './helpers.ts';

/** Every counter different, so a mapping to the wrong field shows. */
function serverMetrics(): ServerMetrics {
  const errors = (base: number) =>
    Object.fromEntries(Object.values(CONNECTION_ERROR).map((c, i) => [c, base + i])) as Record<
      (typeof CONNECTION_ERROR)[keyof typeof CONNECTION_ERROR],
      number
    >;
  const histogram = (n: number) => ({
    boundsSeconds: [0.1, 1],
    cumulativeCounts: [n, n + 1, n + 2],
    count: n + 2,
    sumSeconds: n * 1.5,
  });
  return {
    peers: { total: 5, inbound: 2, outbound: 3 },
    ingressBytes: 1000,
    egressBytes: 2000,
    dials: { attempts: 40, succeeded: 41, succeededOneMinute: 42, errors: errors(100) },
    serves: { attempts: 50, succeeded: 51, succeededOneMinute: 52, errors: errors(200) },
    handshakeDuration: { inbound: histogram(7), outbound: histogram(9) },
    messages: [
      {
        protocol: 'eth',
        version: 68,
        codes: [
          { code: 4, ingressPackets: 3, ingressBytes: 300, egressPackets: 6, egressBytes: 600 },
        ],
      },
    ],
  };
}

function discoveryMetrics(): DiscoveryMetrics {
  return {
    packetsIn: { ping: 1, pong: 2, findnode: 3, neighbors: 4, 'enr-request': 5, 'enr-response': 6 },
    packetsOut: {
      ping: 11,
      pong: 12,
      findnode: 13,
      neighbors: 14,
      'enr-request': 15,
      'enr-response': 16,
    },
    dropped: {
      'bad-packet': 21,
      'unknown-type': 22,
      expired: 23,
      unsolicited: 24,
      unbonded: 25,
      self: 26,
      'bad-source': 27,
      banned: 28,
      overloaded: 29,
    },
    timeouts: 31,
    neighborsRejected: 32,
    handlerErrors: 33,
    pingBacksSkipped: 34,
    unhandled: 35,
    signatures: {
      workers: 2,
      queued: 36,
      inFlight: 37,
      shed: { ping: 38, request: 39, own: 0 },
      respawns: 1,
      inlineBatches: 0,
    },
  };
}

function discoveryV5Metrics(): DiscoveryV5Metrics {
  return {
    findNodeRequests: 41,
    nodesServed: 42,
    talkRequests: 43,
    talkUnknownProtocol: 44,
    talkHandlerErrors: 45,
    nodesSeen: 46,
    recordsRefetched: 47,
    rpc: {
      packetsIn: 51,
      packetsOut: 52,
      handshakesInitiated: 53,
      handshakesAccepted: 54,
      whoareyouSent: 55,
      dropped: {
        'unexpected-handshake': 60,
        'bad-record': 61,
        'bad-signature': 62,
        'bad-ephemeral-key': 63,
        'undecryptable-handshake': 64,
        'session-ip-limit': 65,
        'bad-packet': 66,
        'unknown-session': 67,
        'whoareyou-limit': 68,
        'unsolicited-whoareyou': 69,
        'unsolicited-response': 70,
        'bad-nodes-record': 71,
        'wrong-distance': 72,
        'unexpected-message': 73,
        'talk-handler-error': 74,
        banned: 75,
      },
      sessions: 56,
      pendingChallenges: 57,
      pendingCalls: 58,
    },
  };
}

const selfId = nodeIdFromPublicKey(publicKey(generatePrivateKey()));
const tableNodes = Array.from({ length: 5 }, () =>
  Node.fromPublicKey(publicKey(generatePrivateKey()), { ip: '127.0.0.1', udp: 1 }),
);

/** Every reputation counter different, so a mapping to the wrong field shows. */
function reputationMetrics(): ReputationMetrics {
  return {
    tracked: { ids: 81, ips: 82 },
    banned: { ids: 83, ips: 84 },
    bansAdded: { score: 85, manual: 86 },
    changes: Object.fromEntries(
      Object.values(REPUTATION_CHANGE).map((kind, i) => [kind, 90 + i]),
    ) as ReputationMetrics['changes'],
    refusedIds: 87,
  };
}

function sources(server: ServerMetrics | undefined): MetricsSources {
  return {
    server: () =>
      server === undefined
        ? undefined
        : {
            metrics: server,
            reputation: { metrics: reputationMetrics() },
            inboundMetrics: { refused: { banned: 88 } },
            ingressMetrics: {
              heldBytes: 71,
              peakHeldBytes: 72,
              waiting: 73,
              grants: 74,
              waits: 75,
            },
          },
    discovery: () => ({
      metrics: discoveryMetrics(),
      nodes: () => tableNodes,
      localNode: { id: selfId },
    }),
    discoveryV5: () => ({
      metrics: discoveryV5Metrics(),
      nodes: () => tableNodes.slice(0, 3),
      localNode: { id: selfId },
    }),
    ethServe: () => ({ metrics: SERVE_BUDGET }),
  };
}

const SERVE_BUDGET: ServeBudgetMetrics = {
  handled: 61,
  handlingMs: 62,
  responseBytes: 63,
  deferred: 64,
  dropped: 65,
  peers: 66,
  throttled: 67,
  inFlightBytes: 68,
  peakInFlightBytes: 69,
  waitingForRoom: 70,
};

async function scrape(metrics: NodeMetrics): Promise<Families> {
  return parseFamilies(await metrics.scrape());
}

describe('NodeMetrics', () => {
  it('maps every server counter to its geth name (and ethp2p names where geth has none)', async () => {
    const f = await scrape(
      new NodeMetrics({ sources: sources(serverMetrics()), processMetrics: false }),
    );
    const asserted = new Set<string>();
    const expectValue = (name: string, value: number, labels?: Record<string, string>): void => {
      asserted.add(name);
      expect(sampleValue(f, name, labels), `${name} ${JSON.stringify(labels ?? {})}`).toBe(value);
    };
    expectValue('p2p_peers', 5);
    expectValue('p2p_peers_inbound', 2);
    expectValue('p2p_peers_outbound', 3);
    expectValue('p2p_ingress', 1000);
    expectValue('p2p_egress', 2000);
    for (const [side, base] of [
      ['dials', 40],
      ['serves', 50],
    ] as const) {
      expectValue(`p2p_${side}`, base);
      expectValue(`p2p_${side}_success`, base + 1);
      expectValue(`p2p_${side}_success_1min`, base + 2);
      Object.values(CONNECTION_ERROR).forEach((kind, i) => {
        expectValue(gethName(`p2p/${side}/error/${kind}`), (side === 'dials' ? 100 : 200) + i);
      });
    }
    expect(f.has('p2p_dials_error_id_unexpected')).toBe(true);
    expect(f.has('p2p_serves_error_rlpx_enc')).toBe(true);
    // geth's flat per-message names, and the labelled families.
    expectValue('p2p_ingress_eth_68_0x04', 300);
    expectValue('p2p_ingress_eth_68_0x04_packets', 3);
    expectValue('p2p_egress_eth_68_0x04', 600);
    expectValue('p2p_egress_eth_68_0x04_packets', 6);
    const labels = { protocol: 'eth', version: '68', code: '0x04' };
    expectValue('ethp2p_p2p_messages_total', 3, { ...labels, direction: 'ingress' });
    expectValue('ethp2p_p2p_messages_total', 6, { ...labels, direction: 'egress' });
    expectValue('ethp2p_p2p_message_bytes_total', 300, { ...labels, direction: 'ingress' });
    expectValue('ethp2p_p2p_message_bytes_total', 600, { ...labels, direction: 'egress' });
    // The handshake histograms, per direction.
    for (const [name, base] of [
      ['ethp2p_p2p_serves_handshake_seconds', 7],
      ['ethp2p_p2p_dials_handshake_seconds', 9],
    ] as const) {
      asserted.add(name);
      const h = f.get(name);
      expect(h?.type).toBe('HISTOGRAM');
      expect(h?.metrics[0]).toEqual({
        buckets: { '0.1': String(base), '1': String(base + 1), '+Inf': String(base + 2) },
        count: String(base + 2),
        sum: String(base * 1.5),
      });
    }
    // Discovery.
    const buckets = new Array<number>(17).fill(0);
    for (const n of tableNodes) {
      const d = logDistance(selfId, n.id);
      const b = d <= 239 ? 0 : d - 240;
      buckets[b] = (buckets[b] ?? 0) + 1;
    }
    buckets.forEach((count, i) => {
      expectValue(`discover_bucket_${i}_count`, count);
    });
    expectValue('ethp2p_discover_table_nodes', 5);
    expectValue('ethp2p_discover_packets_total', 4, { direction: 'ingress', type: 'neighbors' });
    expectValue('ethp2p_discover_packets_total', 15, { direction: 'egress', type: 'enr-request' });
    expectValue('ethp2p_discover_dropped_total', 24, { reason: 'unsolicited' });
    expectValue('ethp2p_discover_dropped_total', 27, { reason: 'bad-source' });
    expectValue('ethp2p_discover_dropped_total', 28, { reason: 'banned' });
    expectValue('ethp2p_discover_dropped_total', 29, { reason: 'overloaded' });
    expectValue('ethp2p_discover_timeouts_total', 31);
    expectValue('ethp2p_discover_unhandled_total', 35);
    expectValue('ethp2p_discover_neighbors_rejected_total', 32);
    expectValue('ethp2p_discover_handler_errors_total', 33);
    expectValue('ethp2p_discover_ping_backs_skipped_total', 34);
    expectValue('ethp2p_discover_signature_workers', 2);
    expectValue('ethp2p_discover_signature_queued', 36);
    expectValue('ethp2p_discover_signature_shed_total', 38, { class: 'ping' });
    expectValue('ethp2p_discover_signature_shed_total', 39, { class: 'request' });
    expectValue('ethp2p_discover_signature_respawns_total', 1);
    // Discovery v5: the table, the rpc's counters and the service's.
    const v5Buckets = new Array<number>(17).fill(0);
    for (const n of tableNodes.slice(0, 3)) {
      const d = logDistance(selfId, n.id);
      const b = d <= 239 ? 0 : d - 240;
      v5Buckets[b] = (v5Buckets[b] ?? 0) + 1;
    }
    v5Buckets.forEach((count, i) => {
      expectValue('ethp2p_discv5_bucket_nodes', count, { bucket: String(i) });
    });
    expect(f.get('ethp2p_discv5_bucket_nodes')?.metrics).toHaveLength(17);
    expectValue('ethp2p_discv5_table_nodes', 3);
    expectValue('ethp2p_discv5_packets_total', 51, { direction: 'ingress' });
    expectValue('ethp2p_discv5_packets_total', 52, { direction: 'egress' });
    expectValue('ethp2p_discv5_handshakes_total', 53, { role: 'initiator' });
    expectValue('ethp2p_discv5_handshakes_total', 54, { role: 'recipient' });
    expectValue('ethp2p_discv5_whoareyou_sent_total', 55);
    Object.entries(discoveryV5Metrics().rpc.dropped).forEach(([reason, n]) => {
      expectValue('ethp2p_discv5_dropped_total', n, { reason });
    });
    expect(f.get('ethp2p_discv5_dropped_total')?.metrics).toHaveLength(16);
    expectValue('ethp2p_discv5_sessions', 56);
    expectValue('ethp2p_discv5_pending_challenges', 57);
    expectValue('ethp2p_discv5_pending_calls', 58);
    expectValue('ethp2p_discv5_findnode_requests_total', 41);
    expectValue('ethp2p_discv5_nodes_served_total', 42);
    expectValue('ethp2p_discv5_talk_requests_total', 43);
    expectValue('ethp2p_discv5_talk_unknown_protocol_total', 44);
    expectValue('ethp2p_discv5_talk_handler_errors_total', 45);
    expectValue('ethp2p_discv5_nodes_seen_total', 46);
    expectValue('ethp2p_discv5_records_refetched_total', 47);
    expect(f.get('ethp2p_discv5_sessions')?.type).toBe('GAUGE');
    // Reputation and bans.
    expectValue('ethp2p_reputation_tracked', 81, { kind: 'id' });
    expectValue('ethp2p_reputation_tracked', 82, { kind: 'ip' });
    expectValue('ethp2p_bans_active', 83, { kind: 'id' });
    expectValue('ethp2p_bans_active', 84, { kind: 'ip' });
    expectValue('ethp2p_bans_added_total', 85, { source: 'score' });
    expectValue('ethp2p_bans_added_total', 86, { source: 'manual' });
    expectValue('ethp2p_bans_refused_total', 88, { stage: 'listener' });
    expectValue('ethp2p_bans_refused_total', 87, { stage: 'handshake' });
    Object.values(REPUTATION_CHANGE).forEach((kind, i) => {
      expectValue('ethp2p_reputation_changes_total', 90 + i, { kind });
    });
    expect(f.get('ethp2p_bans_active')?.type).toBe('GAUGE');
    expect(f.get('ethp2p_bans_added_total')?.type).toBe('COUNTER');
    expect(f.get('ethp2p_discv5_packets_total')?.type).toBe('COUNTER');
    expectValue('ethp2p_eth_serve_handled_total', 61);
    expectValue('ethp2p_eth_serve_handling_milliseconds_total', 62);
    expectValue('ethp2p_eth_serve_response_bytes_total', 63);
    expectValue('ethp2p_eth_serve_deferred_total', 64);
    expectValue('ethp2p_eth_serve_dropped_total', 65);
    expectValue('ethp2p_eth_serve_peers', 66);
    expectValue('ethp2p_eth_serve_throttled', 67);
    expectValue('ethp2p_eth_serve_in_flight_bytes', 68);
    expectValue('ethp2p_eth_serve_in_flight_bytes_peak', 69);
    expectValue('ethp2p_eth_serve_waiting_for_room', 70);
    expectValue('ethp2p_ingress_budget_held_bytes', 71);
    expectValue('ethp2p_ingress_budget_held_bytes_peak', 72);
    expectValue('ethp2p_ingress_budget_waiting', 73);
    expectValue('ethp2p_ingress_budget_grants_total', 74);
    expectValue('ethp2p_ingress_budget_waits_total', 75);
    expect(f.get('ethp2p_ingress_budget_held_bytes')?.type).toBe('GAUGE');
    expect(f.get('ethp2p_ingress_budget_waits_total')?.type).toBe('COUNTER');
    expect(f.get('ethp2p_eth_serve_in_flight_bytes')?.type).toBe('GAUGE');
    expect(f.get('ethp2p_eth_serve_throttled')?.type).toBe('GAUGE');
    expect(f.get('ethp2p_eth_serve_dropped_total')?.type).toBe('COUNTER');
    // Every metric the exporter has is checked above.
    expect(ownFamilies(f).sort()).toEqual([...asserted].sort());
    expect(f.get('p2p_ingress')?.type).toBe('COUNTER');
    expect(f.get('p2p_peers')?.type).toBe('GAUGE');
  });

  it('reads zero before the server runs, and adds a per-message name when its code is first seen', async () => {
    let current: ServerMetrics | undefined;
    const metrics = new NodeMetrics({
      sources: {
        server: () => (current === undefined ? undefined : { metrics: current }),
        discovery: () => undefined,
      },
      processMetrics: false,
    });
    let f = await scrape(metrics);
    expect(sampleValue(f, 'p2p_peers')).toBe(0);
    expect(sampleValue(f, 'p2p_dials_error_other')).toBe(0);
    expect(sampleValue(f, 'ethp2p_discover_table_nodes')).toBe(0);
    expect(sampleValue(f, 'ethp2p_discv5_table_nodes')).toBe(0);
    expect(sampleValue(f, 'ethp2p_discv5_sessions')).toBe(0);
    expect(sampleValue(f, 'ethp2p_eth_serve_handled_total')).toBe(0);
    expect(sampleValue(f, 'ethp2p_ingress_budget_held_bytes')).toBe(0);
    expect([...f.keys()].some((n) => n.startsWith('p2p_ingress_eth'))).toBe(false);
    current = serverMetrics();
    f = await scrape(metrics);
    expect(sampleValue(f, 'p2p_ingress_eth_68_0x04_packets')).toBe(3);
    // Counters come from the owner on every scrape: reading twice does not add anything.
    f = await scrape(metrics);
    expect(sampleValue(f, 'p2p_ingress')).toBe(1000);
    expect(sampleValue(f, 'p2p_ingress_eth_68_0x04_packets')).toBe(3);
  });

  it("adds prom-client's process metrics unless told not to", async () => {
    const f = await scrape(new NodeMetrics({ sources: sources(undefined) }));
    // CPU is counted from the registry's creation, so a fast scrape may read 0: present, not negative.
    expect(sampleValue(f, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(f, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(f.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(f.has('nodejs_heap_size_used_bytes')).toBe(true);
  });
});

describe('geth names', () => {
  it("writes registry names and codes as geth's exporter does", () => {
    expect(gethName('p2p/dials/error/id/unexpected')).toBe('p2p_dials_error_id_unexpected');
    expect([0, 10, 16, 255].map(gethCode)).toEqual(['0x00', '0x0a', '0x10', '0xff']);
    expect(gethMessageName('egress', 'eth', 69, 0x11, true)).toBe('p2p_egress_eth_69_0x11_packets');
    expect(gethMessageName('ingress', 'my-proto', 1, 0, false)).toBe('p2p_ingress_my_proto_1_0x00');
  });
});
