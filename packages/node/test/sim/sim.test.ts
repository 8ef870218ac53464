/**
 * The discv4 simulation (issue 18): a 50-node run on virtual time converges with lookup recall
 * of at least 0.9, its chart is well-formed SVG holding every series, and `ethp2p sim` runs it
 * and writes the report files. Bounded: 50 nodes, 40 virtual seconds.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from '@ethp2p/base';
import { nextTurn } from '@ethp2p/base/testing';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_SERIES, renderChart } from '../../src/sim/chart.ts';
import { checkSimOptions, parseBootstrap } from '../../src/sim/options.ts';
import { closestIds, recallOf } from '../../src/sim/recall.ts';
import { runSimulation, SIM_START_MS, type SimResult } from '../../src/sim/run.ts';
import { SimWorld } from '../../src/sim/world.ts';
import { run as runCli } from '../cli/helpers/run.ts';
import { SMALL_SIM } from './helpers.ts';

const SMALL = SMALL_SIM;

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('a 50-node simulation', () => {
  let result: SimResult;
  const progress: number[] = [];

  beforeAll(async () => {
    result = await runSimulation(SMALL, {
      progressEveryMs: 0,
      onProgress: (p) => progress.push(p.virtualMs),
    });
  }, 120_000);

  it('converges: every node joins, tables fill and lookups find the true closest nodes', () => {
    const last = result.samples.at(-1);
    expect(last?.atMs).toBe(SMALL.durationMs);
    expect(last?.joined).toBe(50);
    expect(last?.minFill).toBeGreaterThanOrEqual(16);
    expect(result.recall.map((r) => r.atMs)).toEqual(SMALL.recallAtMs);
    expect(result.recall.at(-1)?.recall).toBeGreaterThanOrEqual(0.9);
    expect(result.network.sent).toBeGreaterThan(0);
    expect(result.network.handlerErrors).toBe(0);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('charts table fill and recall as well-formed SVG', () => {
    const svg = renderChart(result);
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(svg);
    const groups: { '@_data-series'?: string; '@_data-points'?: string }[] = doc.svg.g;
    const points = Object.fromEntries(
      groups
        .filter((g) => g['@_data-series'] !== undefined)
        .map((g) => [g['@_data-series'], Number(g['@_data-points'])]),
    );
    expect(points).toEqual({
      'table-fill': result.samples.length,
      'table-fill-min': result.samples.length,
      recall: result.recall.length,
    });
    expect(Object.keys(points)).toEqual([...CHART_SERIES]);
  });
});

describe('closing the world', () => {
  it('cancels the joins still to come: no node starts after close', async () => {
    const clock = new SimulatedClock(SIM_START_MS);
    const world = await SimWorld.create({ ...SMALL, nodes: 10, joinMs: 10_000 }, clock);
    clock.advance(2_500); // nodes 0, 1 and 2 join
    await nextTurn();
    const closing = world.close();
    clock.advance(20_000);
    await closing;
    expect(world.joined().map((n) => n.index)).toEqual([0, 1, 2]);
    expect(clock.pending).toBe(0);
  });
});

describe('ethp2p sim', () => {
  it('prints the report and writes sim.json and sim.svg', async () => {
    const out = await mkdtemp(join(tmpdir(), 'ethp2p-sim-'));
    dirs.push(out);
    const run = await runCli([
      'sim',
      '--nodes',
      '20',
      '--duration',
      '20s',
      '--join',
      '2s',
      '--lookups',
      '4',
      '--bootstrap',
      'one',
      '--progress',
      '0',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^nodes 20, virtual 20\.0 s, seed 1$/m);
    expect(run.stdout).toMatch(/^recall at 20\.0 s: /m);
    const json = JSON.parse(await readFile(join(out, 'sim.json'), 'utf8'));
    expect(json.options.nodes).toBe(20);
    expect(XMLValidator.validate(await readFile(join(out, 'sim.svg'), 'utf8'))).toBe(true);
  }, 60_000);

  it("--refresh sets every node's refresh interval: more lookups, more datagrams", async () => {
    const datagrams = async (extra: string[]): Promise<number> => {
      const out = await mkdtemp(join(tmpdir(), 'ethp2p-sim-'));
      dirs.push(out);
      const run = await runCli([
        'sim',
        ...['--nodes', '20', '--duration', '30s', '--join', '2s', '--lookups', '2'],
        ...['--recall-at', '30s', '--progress', '0', '--out', out, ...extra],
      ]);
      expect(run.code).toBe(0);
      const json = JSON.parse(await readFile(join(out, 'sim.json'), 'utf8'));
      if (extra.length > 0) expect(json.options.config).toEqual({ refreshIntervalMs: 4000 });
      const match = /^datagrams (\d+)/m.exec(run.stdout);
      return Number(match?.[1]);
    };
    const usual = await datagrams([]);
    const refreshing = await datagrams(['--refresh', '4s']);
    expect(usual).toBeGreaterThan(0);
    expect(refreshing).toBeGreaterThan(usual);
  }, 60_000);

  it('--refresh-lookups sets the random lookups per refresh: a self lookup only costs less', async () => {
    const run = async (extra: string[]): Promise<{ datagrams: number; config: unknown }> => {
      const out = await mkdtemp(join(tmpdir(), 'ethp2p-sim-'));
      dirs.push(out);
      const cli = await runCli([
        'sim',
        ...['--nodes', '20', '--duration', '30s', '--join', '2s', '--lookups', '2'],
        ...['--recall-at', '30s', '--progress', '0', '--out', out, '--refresh', '4s', ...extra],
      ]);
      expect(cli.code).toBe(0);
      const json = JSON.parse(await readFile(join(out, 'sim.json'), 'utf8'));
      return {
        datagrams: Number(/^datagrams (\d+)/m.exec(cli.stdout)?.[1]),
        config: json.options.config,
      };
    };
    const usual = await run([]);
    const selfOnly = await run(['--refresh-lookups', '0']);
    expect(selfOnly.config).toEqual({ refreshIntervalMs: 4000, refreshRandomLookups: 0 });
    expect(selfOnly.datagrams).toBeGreaterThan(0);
    expect(selfOnly.datagrams).toBeLessThan(usual.datagrams);
  }, 60_000);

  it('refuses bad options with a usage error', async () => {
    for (const args of [
      ['--nodes', '0'],
      ['--bootstrap', 'random:0'],
      ['--loss', '1'],
      ['--recall-at', '5m', '--duration', '1m'],
      ['--refresh', '0s'],
      ['--refresh-lookups', '17'],
      ['--refresh-lookups', '-1'],
    ]) {
      const run = await runCli(['sim', ...args]);
      expect(run.code, args.join(' ')).toBe(2);
    }
  });
});

describe('the pieces', () => {
  it('closestIds is the brute-force k nearest, leaving out the looking node', () => {
    const id = (b: number) => new Uint8Array(32).fill(b);
    const ids = [id(9), id(1), id(3), id(2), id(0)];
    expect(closestIds(id(0), ids, 3)).toEqual([id(0), id(1), id(2)]);
    expect(closestIds(id(0), ids, 3, ids[4])).toEqual([id(1), id(2), id(3)]);
    expect(recallOf([id(1), id(7)], [id(1), id(2)])).toBe(0.5);
  });

  it('options are checked', () => {
    expect(parseBootstrap('random:4')).toEqual({ kind: 'random', count: 4 });
    expect(() => parseBootstrap('random')).toThrow(RangeError);
    expect(() => checkSimOptions({ ...SMALL, recallAtMs: [20_000, 10_000] })).toThrow(RangeError);
    expect(() => checkSimOptions({ ...SMALL, loss: -0.1 })).toThrow(RangeError);
  });
});
