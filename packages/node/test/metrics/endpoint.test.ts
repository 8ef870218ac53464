import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { rejectedError, waitFor } from '@ethp2p/base/testing';
import { describe, expect, it } from 'vitest';
import { NodeError } from '../../src/node/errors.ts';
import { chainFixture, loopbackNode } from '../node/helpers.ts';
import { type Families, parseFamilies, sampleValue } from './helpers.ts';

const fixture = chainFixture(4);

async function scrape(url: string | undefined): Promise<Families> {
  if (url === undefined) throw new Error('metrics are off');
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseFamilies(await res.text());
}

/** The names a PromQL expression reads: metric names, and `__name__=~` patterns. */
function queried(expr: string): { names: string[]; patterns: RegExp[] } {
  const unquoted = expr.replaceAll(/"[^"]*"/g, '""');
  const names = [
    ...unquoted.matchAll(/\b((?:p2p|discover|ethp2p|process|nodejs)_[a-z0-9_]+)/g),
  ].map((m) => m[1] as string);
  const patterns = [...expr.matchAll(/__name__=~"([^"]+)"/g)].map(
    (m) => new RegExp(`^(?:${m[1]})$`),
  );
  return { names, patterns };
}

/** A histogram's series names (`x_bucket`, `x_sum`, `x_count`) belong to family `x`. */
function familyOf(name: string, families: Families): string {
  if (families.has(name)) return name;
  return name.replace(/_(bucket|sum|count)$/, '');
}

describe('--metrics endpoint of FullNode', () => {
  it('serves counters that move as two nodes find each other and talk', async () => {
    const a = loopbackNode({
      datadir: join(fixture.dir, 'a'),
      chain: fixture.chain,
      noDial: true,
      metrics: { port: 0 },
    });
    await a.start();
    const b = loopbackNode({
      datadir: join(fixture.dir, 'b'),
      chain: fixture.chain,
      bootnodes: [a.self()],
      metrics: { port: 0 },
    });
    try {
      expect(a.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/debug\/metrics\/prometheus$/);
      const idle = await scrape(a.metricsUrl);
      expect(sampleValue(idle, 'p2p_peers')).toBe(0);
      expect(sampleValue(idle, 'p2p_serves')).toBe(0);
      expect(sampleValue(idle, 'p2p_ingress')).toBe(0);
      await b.start();
      await waitFor(() => a.peerSet.len === 1 && b.peerSet.len === 1, {
        on: { emitters: [a.peerSet.events, b.peerSet.events], events: ['peer:registered'] },
        what: 'both nodes have an eth peer',
        signal: AbortSignal.timeout(15_000),
      });
      const fa = await scrape(a.metricsUrl);
      const fb = await scrape(b.metricsUrl?.replace('/debug/metrics/prometheus', '/metrics'));
      // Peers, dials, serves and handshakes: A was dialed (once; discovery may add more dials).
      const exact: [Families, string, number][] = [
        [fa, 'p2p_peers', 1],
        [fa, 'p2p_peers_inbound', 1],
        [fb, 'p2p_peers_outbound', 1],
        [fa, 'p2p_serves_success', 1],
        [fb, 'p2p_dials_success', 1],
        [fb, 'p2p_dials_success_1min', 0],
        [fb, 'ethp2p_p2p_dials_handshake_seconds', 1],
        [fa, 'ethp2p_p2p_serves_handshake_seconds', 1],
      ];
      for (const [f, name, value] of exact) expect(sampleValue(f, name), name).toBe(value);
      expect(sampleValue(fa, 'p2p_serves')).toBeGreaterThanOrEqual(1);
      expect(sampleValue(fb, 'p2p_dials')).toBeGreaterThanOrEqual(1);
      // Bytes on the wire, and eth Status (code 0x00) both ways, under geth's names and ours.
      expect(sampleValue(fa, 'p2p_ingress')).toBeGreaterThan(300);
      expect(sampleValue(fb, 'p2p_egress')).toBeGreaterThan(300);
      for (const f of [fa, fb]) {
        expect(sampleValue(f, 'p2p_ingress_eth_72_0x00_packets')).toBe(1);
        expect(sampleValue(f, 'p2p_egress_eth_72_0x00_packets')).toBe(1);
        expect(sampleValue(f, 'p2p_egress_eth_72_0x00')).toBeGreaterThan(32);
        const status = { protocol: 'eth', version: '72', code: '0x00' };
        expect(
          sampleValue(f, 'ethp2p_p2p_messages_total', { ...status, direction: 'ingress' }),
        ).toBe(1);
        expect(
          sampleValue(f, 'ethp2p_p2p_message_bytes_total', { ...status, direction: 'egress' }),
        ).toBe(sampleValue(f, 'p2p_egress_eth_72_0x00'));
      }
      // Discovery: B pinged A (its bootnode) and has it in its table.
      expect(
        sampleValue(fa, 'ethp2p_discover_packets_total', { direction: 'ingress', type: 'ping' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        sampleValue(fb, 'ethp2p_discover_packets_total', { direction: 'egress', type: 'ping' }),
      ).toBeGreaterThanOrEqual(1);
      const table = sampleValue(fb, 'ethp2p_discover_table_nodes');
      expect(table).toBeGreaterThanOrEqual(1);
      const buckets = Array.from({ length: 17 }, (_, i) =>
        sampleValue(fb, `discover_bucket_${i}_count`),
      );
      expect(buckets.reduce((x, y) => x + y, 0)).toBe(table);
      expect(sampleValue(fb, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);

      // Every metric the Grafana dashboard queries is in the output.
      const dashboard = JSON.parse(
        await readFile(
          new URL('../../../../docs/grafana/ethp2p-dashboard.json', import.meta.url),
          'utf8',
        ),
      ) as { panels: { targets?: { expr: string }[] }[] };
      const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
      expect(exprs.length).toBeGreaterThan(20);
      const missing: string[] = [];
      for (const expr of exprs) {
        const { names, patterns } = queried(expr);
        expect(names.length + patterns.length, expr).toBeGreaterThan(0);
        for (const name of names) if (!fb.has(familyOf(name, fb))) missing.push(name);
        for (const p of patterns)
          if (![...fb.keys()].some((n) => p.test(n))) missing.push(String(p));
      }
      expect(missing).toEqual([]);
    } finally {
      await b.stop();
      await a.stop();
    }
    expect(a.metricsUrl).toBeDefined();
    await expect(fetch(a.metricsUrl as string)).rejects.toThrow();
  });

  it('answers only GET and HEAD on its two paths, and closes every connection on stop', async () => {
    const node = loopbackNode({
      datadir: join(fixture.dir, 'http'),
      chain: fixture.chain,
      discovery: false,
      metrics: { port: 0 },
    });
    const listeners = (): number =>
      process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    const before = listeners();
    await node.start();
    const url = node.metricsUrl as string;
    const base = url.replace('/debug/metrics/prometheus', '');
    try {
      expect((await fetch(`${base}/`)).status).toBe(404);
      expect((await fetch(`${base}/debug/metrics`)).status).toBe(404);
      const post = await fetch(url, { method: 'POST', body: 'x' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
      const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      // A keep-alive connection stays open until the node stops.
      expect((await fetch(`${base}/metrics?x=1`, { keepalive: true })).status).toBe(200);
    } finally {
      await node.stop();
    }
    expect(listeners()).toBe(before);
  });

  it('reports a metrics port in use as PORT_IN_USE and leaves the datadir as it was', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    const node = loopbackNode({
      datadir: join(fixture.dir, 'busy'),
      chain: fixture.chain,
      discovery: false,
      metrics: { port },
    });
    try {
      const err = await rejectedError(node.start(), NodeError, 'PORT_IN_USE');
      expect(err.message).toContain('--metrics.port');
      expect(node.metricsUrl).toBeUndefined();
      expect(await stat(join(fixture.dir, 'busy')).catch(() => undefined)).toBeUndefined();
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('is off unless asked for', async () => {
    const node = loopbackNode({
      datadir: join(fixture.dir, 'off'),
      chain: fixture.chain,
      discovery: false,
    });
    await node.start();
    try {
      expect(node.metricsUrl).toBeUndefined();
    } finally {
      await node.stop();
    }
  });
});
