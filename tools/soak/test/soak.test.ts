import { describe, expect, it } from 'vitest';
import { runSoak, SOAK_DEFAULTS, type SoakOptions } from '../src/soak.ts';
import { memoryVerdict } from '../src/verdict.ts';

// Runs the built node process (dist/node-child.js): `pnpm build` first, as for the CLI tests.
describe('runSoak', () => {
  it('runs a tiny soak: samples, printed lines, traffic, churn, misbehaviour and a verdict', async () => {
    const lines: string[] = [];
    const options: SoakOptions = {
      ...SOAK_DEFAULTS,
      peers: 4,
      durationMs: 8_000,
      intervalMs: 3_000,
      sampleMs: 1_000,
      warmupMs: 2_000,
      // Generous limits: this checks the report, not the node's memory (pnpm soak does that).
      maxGrowth: 10,
      maxSlopeMibPerMin: 1_000,
      minRiseMib: 1_000,
      misbehaveEvery: 4,
      sessionMs: [1_000, 3_000],
      pauseMs: 300,
      blocks: 16,
      out: (line) => lines.push(line),
    };
    const report = await runSoak(options);

    expect(report.samples.length).toBeGreaterThanOrEqual(5);
    for (const s of report.samples) {
      expect(s.rssBytes).toBeGreaterThan(s.heapAfterGcBytes);
      expect(s.heapAfterGcBytes).toBeGreaterThan(0);
      expect(s.activeHandles).toBeGreaterThan(0);
    }
    expect(report.samples.at(-1)?.elapsedMs).toBeGreaterThanOrEqual(options.durationMs);
    expect(Math.max(...report.samples.map((s) => s.ethPeers))).toBeGreaterThan(0);

    const c = report.counts;
    expect(c.registered).toBeGreaterThan(3); // three good slots, each reconnecting (churn)
    expect(c.requests).toBeGreaterThan(0);
    expect(c.txsAnnounced).toBeGreaterThan(0);
    expect(c.misbehaving).toBeGreaterThan(0);
    // Each one is dropped by the node, but for the one in flight when the soak ended.
    expect(c.misbehavingDropped).toBeGreaterThanOrEqual(c.misbehaving - 1);

    expect(report.verdict).toEqual(memoryVerdict(report.samples, options));
    expect(report.ok).toBe(true);
    expect(
      lines.filter((l) => /^\[ +\d+:\d\d\] rss [\d.]+ MiB {2}heap used/.test(l)).length,
    ).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toMatch(/^soak: ok: bounded: heap after GC/);
  }, 60_000);
});
