/**
 * The devp2p server's metrics under geth's `p2p/...` names (`p2p/metrics.go`), read from
 * `Server.metrics` at scrape time.
 * @module
 */
import { CONNECTION_ERROR, type ConnectionCounts, type ServerMetrics } from '@ethp2p/server';
import type { Registry } from 'prom-client';
import { field, type Series, scraped } from './collect.ts';
import { gethCode, gethMessageName, gethName } from './names.ts';
import { SnapshotHistogram } from './snapshot-histogram.ts';

/** Reads the server's snapshot of this scrape (undefined while the server is not running). */
export type ServerSnapshot = () => ServerMetrics | undefined;

const SIDES = [
  ['dials', 'outbound connections (dial attempts)', (m: ServerMetrics) => m.dials],
  ['serves', 'inbound connections admitted by the listener', (m: ServerMetrics) => m.serves],
] as const;

/** Registers the peer, traffic, dial/serve and handshake metrics. */
export function registerServerMetrics(registry: Registry, snap: ServerSnapshot): void {
  const peers = (pick: (m: ServerMetrics) => number) => field(snap, pick);
  scraped(
    'gauge',
    registry,
    gethName('p2p/peers'),
    'connected peers',
    peers((m) => m.peers.total),
  );
  scraped(
    'gauge',
    registry,
    gethName('p2p/peers/inbound'),
    'connected peers that dialed us',
    peers((m) => m.peers.inbound),
  );
  scraped(
    'gauge',
    registry,
    gethName('p2p/peers/outbound'),
    'connected peers we dialed',
    peers((m) => m.peers.outbound),
  );
  scraped(
    'counter',
    registry,
    gethName('p2p/ingress'),
    'bytes read from peer connections, RLPx handshake included',
    peers((m) => m.ingressBytes),
  );
  scraped(
    'counter',
    registry,
    gethName('p2p/egress'),
    'bytes written to peer connections, RLPx handshake included',
    peers((m) => m.egressBytes),
  );
  for (const [side, what, pick] of SIDES)
    registerSide(registry, side, what, () => pickOf(snap, pick));
  registerMessages(registry, snap);
  for (const [side, direction] of [
    ['dials', 'outbound'],
    ['serves', 'inbound'],
  ] as const) {
    new SnapshotHistogram(
      registry,
      `ethp2p_p2p_${side}_handshake_seconds`,
      `time from the TCP connection to a running peer (RLPx handshake, Hello, checks), ${direction}`,
      () => {
        const h = snap()?.handshakeDuration[direction];
        if (h === undefined) return undefined;
        return { bounds: h.boundsSeconds, cumulativeCounts: h.cumulativeCounts, sum: h.sumSeconds };
      },
    );
  }
}

function pickOf(
  snap: ServerSnapshot,
  pick: (m: ServerMetrics) => ConnectionCounts,
): ConnectionCounts | undefined {
  const m = snap();
  return m === undefined ? undefined : pick(m);
}

/** geth's `p2p/<side>`, `.../success`, `.../success/1min` and `.../error/<class>`. */
function registerSide(
  registry: Registry,
  side: 'dials' | 'serves',
  what: string,
  counts: () => ConnectionCounts | undefined,
): void {
  const read = (pick: (c: ConnectionCounts) => number) => field(counts, pick);
  scraped(
    'counter',
    registry,
    gethName(`p2p/${side}`),
    what,
    read((c) => c.attempts),
  );
  scraped(
    'counter',
    registry,
    gethName(`p2p/${side}/success`),
    `${side} that became peers`,
    read((c) => c.succeeded),
  );
  scraped(
    'counter',
    registry,
    gethName(`p2p/${side}/success/1min`),
    `${side} whose peer stayed connected at least a minute`,
    read((c) => c.succeededOneMinute),
  );
  for (const kind of Object.values(CONNECTION_ERROR)) {
    scraped(
      'counter',
      registry,
      gethName(`p2p/${side}/error/${kind}`),
      `${side} that failed: ${kind}`,
      read((c) => c.errors[kind]),
    );
  }
}

/**
 * Messages per protocol, version, code and direction: labelled families
 * (`ethp2p_p2p_messages_total`, `ethp2p_p2p_message_bytes_total`). geth's flat per-code names
 * are added by {@link registerNewMessageNames} as codes are first seen, as geth registers them.
 */
function registerMessages(registry: Registry, snap: ServerSnapshot): void {
  const series = (field: 'Packets' | 'Bytes') => (): Series[] => {
    const out: Series[] = [];
    for (const p of snap()?.messages ?? []) {
      for (const c of p.codes) {
        const base = { protocol: p.protocol, version: String(p.version), code: gethCode(c.code) };
        out.push([{ ...base, direction: 'ingress' }, c[`ingress${field}`]]);
        out.push([{ ...base, direction: 'egress' }, c[`egress${field}`]]);
      }
    }
    return out;
  };
  const labels = ['direction', 'protocol', 'version', 'code'];
  scraped(
    'counter',
    registry,
    'ethp2p_p2p_messages_total',
    'subprotocol messages by direction, protocol, version and code',
    series('Packets'),
    labels,
  );
  scraped(
    'counter',
    registry,
    'ethp2p_p2p_message_bytes_total',
    'wire bytes (frames, compressed when snappy is on) of subprotocol messages',
    series('Bytes'),
    labels,
  );
}

/**
 * Registers geth's flat per-message names (`p2p_ingress_eth_68_0x04`, bytes, and `..._packets`)
 * for codes of `metrics` that have none yet; `known` holds the names already registered.
 */
export function registerNewMessageNames(
  registry: Registry,
  metrics: ServerMetrics,
  known: Set<string>,
  snap: ServerSnapshot,
): void {
  for (const p of metrics.messages) {
    for (const { code } of p.codes) {
      for (const direction of ['ingress', 'egress'] as const) {
        for (const packets of [false, true]) {
          const name = gethMessageName(direction, p.protocol, p.version, code, packets);
          if (known.has(name)) continue;
          known.add(name);
          const field = `${direction}${packets ? 'Packets' : 'Bytes'}` as const;
          scraped(
            'counter',
            registry,
            name,
            `${p.protocol}/${p.version} code ${gethCode(code)} ${direction} ${packets ? 'messages' : 'wire bytes'}`,
            () => {
              const traffic = snap()?.messages.find(
                (t) => t.protocol === p.protocol && t.version === p.version,
              );
              return traffic?.codes.find((c) => c.code === code)?.[field] ?? 0;
            },
          );
        }
      }
    }
  }
}
