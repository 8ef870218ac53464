/**
 * What a run on one thread and a run on workers measure alike: wall and CPU time, the peak RSS and
 * progress reports ({@link RunMeter}), table samples and recall summaries.
 * @module
 */
import type { RecallSample, SimHooks, SimResult, TableSample } from './run.ts';

/** One lookup's measurement. */
export interface LookupOutcome {
  readonly recall: number;
  readonly queries: number;
  readonly hops: number;
  readonly durationMs: number;
}

/** The recall sample of the lookups started at `atMs` (virtual time since the start). */
export function recallSample(atMs: number, outcomes: readonly LookupOutcome[]): RecallSample {
  const mean = (f: (o: LookupOutcome) => number): number =>
    outcomes.reduce((sum, o) => sum + f(o), 0) / outcomes.length;
  return {
    atMs,
    lookups: outcomes.length,
    recall: mean((o) => o.recall),
    minRecall: Math.min(...outcomes.map((o) => o.recall)),
    queries: mean((o) => o.queries),
    hops: mean((o) => o.hops),
    durationMs: mean((o) => o.durationMs),
  };
}

/** A table sample from sums over the started nodes (`minFill` is `Infinity` when none). */
export function tableSample(
  atMs: number,
  joined: number,
  fill: number,
  minFill: number,
  datagrams: number,
): TableSample {
  return {
    atMs,
    joined,
    meanFill: joined === 0 ? 0 : fill / joined,
    minFill: joined === 0 ? 0 : minFill,
    datagrams,
  };
}

/** Wall time, CPU time (of every thread) and peak RSS of a run, and its progress reports. */
export class RunMeter {
  readonly #hooks: SimHooks;
  readonly #durationMs: number;
  readonly #wallStart = performance.now();
  readonly #cpuStart = process.cpuUsage();
  #lastProgress = this.#wallStart;
  #peakRss = process.memoryUsage.rss();

  constructor(hooks: SimHooks, durationMs: number) {
    this.#hooks = hooks;
    this.#durationMs = durationMs;
  }

  /** Wall time since the start. */
  wallMs(): number {
    return performance.now() - this.#wallStart;
  }

  /** CPU time (user + system, every thread) since the start. */
  cpuMs(): number {
    const cpu = process.cpuUsage(this.#cpuStart);
    return (cpu.user + cpu.system) / 1000;
  }

  /** The largest resident set seen, now included. */
  peakRss(): number {
    this.#peakRss = Math.max(this.#peakRss, process.memoryUsage.rss());
    return this.#peakRss;
  }

  /** The costs of the run so far, with `setupMs` of building the nodes. */
  costs(setupMs: number): Pick<SimResult, 'setupMs' | 'wallMs' | 'cpuMs' | 'peakRssBytes'> {
    return { setupMs, wallMs: this.wallMs(), cpuMs: this.cpuMs(), peakRssBytes: this.peakRss() };
  }

  /** Whether a progress report is due: there is a hook and its interval of wall time passed. */
  due(): boolean {
    const now = performance.now();
    if (
      this.#hooks.onProgress === undefined ||
      now - this.#lastProgress < (this.#hooks.progressEveryMs ?? 2000)
    ) {
      return false;
    }
    this.#lastProgress = now;
    return true;
  }

  /** Reports progress at `sample`. */
  report(sample: TableSample): void {
    const rss = process.memoryUsage.rss();
    this.#peakRss = Math.max(this.#peakRss, rss);
    this.#hooks.onProgress?.({
      virtualMs: sample.atMs,
      durationMs: this.#durationMs,
      joined: sample.joined,
      meanFill: sample.meanFill,
      datagrams: sample.datagrams,
      wallMs: this.wallMs(),
      rssBytes: rss,
    });
  }
}
