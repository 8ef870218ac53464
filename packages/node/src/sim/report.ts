/**
 * The text report of a run and its files: `sim.json` (every figure) and `sim.svg` (the chart).
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderChart } from './chart.ts';
import type { SimProgress, SimResult } from './run.ts';

/** One progress line: virtual time, nodes joined, mean table fill, datagrams, wall time, RSS. */
export function progressLine(p: SimProgress): string {
  return (
    `sim: virtual ${seconds(p.virtualMs)}/${seconds(p.durationMs)} s, ` +
    `${p.joined} joined, table fill ${p.meanFill.toFixed(1)}, ` +
    `${p.datagrams} datagrams, wall ${seconds(p.wallMs)} s, rss ${mib(p.rssBytes)} MiB`
  );
}

/** The report: convergence, recall and hops at each measurement, and the costs. */
export function reportLines(r: SimResult): string[] {
  const last = r.samples.at(-1);
  const lines = [
    `nodes ${r.options.nodes}, virtual ${seconds(r.options.durationMs)} s, seed ${r.options.seed}`,
    `tables: mean fill ${last?.meanFill.toFixed(1) ?? '-'}, smallest ${last?.minFill ?? '-'} ` +
      `(${last?.joined ?? 0} nodes joined)`,
  ];
  for (const m of r.recall) {
    lines.push(
      `recall at ${seconds(m.atMs)} s: ${m.recall.toFixed(3)} (worst ${m.minRecall.toFixed(3)}) ` +
        `over ${m.lookups} lookups, ${m.hops.toFixed(1)} hops and ${m.queries.toFixed(1)} findnode each, ` +
        `${seconds(m.durationMs)} s each`,
    );
  }
  const perDatagram = r.network.sent === 0 ? 0 : (r.cpuMs * 1000) / r.network.sent;
  lines.push(
    `datagrams ${r.network.sent} (${r.network.dropped} lost), ${r.instants} instants` +
      (r.workers > 1
        ? `, ${r.workers} workers (busy ${r.utilization.map((u) => `${Math.round(u * 100)}%`).join(' ')}), ` +
          `${r.windows} windows`
        : ''),
    `wall ${seconds(r.wallMs)} s (setup ${seconds(r.setupMs)} s), cpu ${seconds(r.cpuMs)} s ` +
      `(${perDatagram.toFixed(0)} us per datagram), peak rss ${mib(r.peakRssBytes)} MiB`,
  );
  return lines;
}

/** Writes `sim.json` and `sim.svg` into `dir` (created if missing); returns their paths. */
export async function writeReport(
  dir: string,
  r: SimResult,
): Promise<{ json: string; svg: string }> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, 'sim.json');
  const svg = join(dir, 'sim.svg');
  await writeFile(json, `${JSON.stringify(r, null, 2)}\n`);
  await writeFile(svg, renderChart(r));
  return { json, svg };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}
