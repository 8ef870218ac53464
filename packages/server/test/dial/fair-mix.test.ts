import { MemoryLogger, SimulatedClock, sleep } from '@ethp2p/base';
import { nextTurn, rejectedError, waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { FAIR_MIX_TIMEOUT_MS } from '../../src/dial/constants.ts';
import { FairMix } from '../../src/dial/fair-mix.ts';
import type { NodeSource, SignalOptions } from '../../src/node-source.ts';

/** How a scripted source's streams behave. */
type Script =
  | { readonly kind: 'flood' }
  | { readonly kind: 'stall' }
  | { readonly kind: 'list'; readonly count: number }
  | { readonly kind: 'paced'; readonly everyMs: number }
  | { readonly kind: 'fail'; readonly after: number };

const KEY = publicKey(generatePrivateKey());

/**
 * A source whose every stream follows `script`; its nodes carry the source's `port` as their
 * TCP port, so a test can tell where a node came from. Streams end when their signal aborts.
 */
class ScriptedSource implements NodeSource {
  readonly port: number;
  readonly #script: Script;
  readonly #clock: SimulatedClock;
  /** Streams open now (a stream's generator has not finished). */
  open = 0;
  opened = 0;
  readonly targets: (Uint8Array | undefined)[] = [];

  constructor(port: number, script: Script, clock: SimulatedClock) {
    this.port = port;
    this.#script = script;
    this.#clock = clock;
  }

  randomNodes(options: SignalOptions = {}): AsyncIterable<Node> {
    return this.#stream(options.signal ?? new AbortController().signal);
  }

  lookup(target?: Uint8Array, options: SignalOptions = {}): AsyncIterable<Node> {
    this.targets.push(target);
    return this.randomNodes(options);
  }

  async resolve(node: Node): Promise<Node | undefined> {
    if (this.#script.kind === 'fail') throw new Error('resolve broke');
    return node.tcp === this.port ? node : undefined;
  }

  async *#stream(signal: AbortSignal): AsyncGenerator<Node> {
    this.open++;
    this.opened++;
    try {
      for (let i = 0; !signal.aborted; i++) {
        const s = this.#script;
        if (s.kind === 'stall') {
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          return;
        }
        if (s.kind === 'list' && i >= s.count) return;
        if (s.kind === 'fail' && i >= s.after) throw new Error('source broke');
        if (s.kind === 'paced') {
          try {
            await sleep(this.#clock, s.everyMs, signal);
          } catch {
            return;
          }
        }
        yield Node.fromPublicKey(KEY, { ip: '10.0.0.1', tcp: this.port, udp: (i % 60_000) + 1 });
      }
    } finally {
      this.open--;
    }
  }
}

interface Draw {
  readonly port: number | undefined;
  readonly tookMs: number;
}

const STEP_MS = 5;

/** One draw from `it`, advancing the simulated clock in steps until it settles. */
async function draw(it: AsyncIterator<Node>, clock: SimulatedClock, maxMs = 2_000): Promise<Draw> {
  const start = clock.now();
  let outcome: { result: IteratorResult<Node> } | { error: unknown } | undefined;
  it.next().then(
    (result) => {
      outcome = { result };
    },
    (error: unknown) => {
      outcome = { error };
    },
  );
  await nextTurn();
  await waitFor(() => outcome !== undefined, {
    what: 'the draw settles',
    clock: { clock, stepMs: STEP_MS, maxMs },
  });
  if (outcome === undefined || 'error' in outcome) throw new Error('draw failed');
  const { result } = outcome;
  return { port: result.done === true ? undefined : result.value.tcp, tookMs: clock.now() - start };
}

async function draws(it: AsyncIterator<Node>, clock: SimulatedClock, n: number): Promise<Draw[]> {
  const out: Draw[] = [];
  for (let i = 0; i < n; i++) out.push(await draw(it, clock));
  return out;
}

function setup(scripts: readonly Script[], timeoutMs = FAIR_MIX_TIMEOUT_MS) {
  const clock = new SimulatedClock();
  const logger = new MemoryLogger();
  const sources = scripts.map((s, i) => new ScriptedSource(30_001 + i, s, clock));
  const mix = new FairMix({ clock, logger, timeoutMs });
  sources.forEach((s, i) => {
    mix.addSource(s, `s${i}`);
  });
  return { clock, logger, sources, mix };
}

const count = (got: readonly Draw[], port: number): number =>
  got.filter((d) => d.port === port).length;

describe('FairMix', () => {
  it('draws from flooding sources in turn: counts within 1 of each other over every window', async () => {
    const { clock, sources, mix } = setup([
      { kind: 'flood' },
      { kind: 'flood' },
      { kind: 'flood' },
    ]);
    const it = mix.randomNodes()[Symbol.asyncIterator]();
    const got = await draws(it, clock, 300);
    for (let end = 1; end <= got.length; end++) {
      const counts = sources.map((s) => count(got.slice(0, end), s.port));
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
    expect(sources.map((s) => count(got, s.port))).toEqual([100, 100, 100]);
    expect(got.every((d) => d.tookMs === 0)).toBe(true);
    await it.return?.();
    expect(sources.map((s) => s.open)).toEqual([0, 0, 0]);
  });

  it('a source that stalls forever delays a draw by at most the timeout, halved each time', async () => {
    const { clock, sources, mix } = setup([{ kind: 'stall' }, { kind: 'flood' }]);
    const it = mix.randomNodes()[Symbol.asyncIterator]();
    const got = await draws(it, clock, 20);
    const flood = sources[1]?.port;
    expect(got.every((d) => d.port === flood)).toBe(true);
    expect(got.every((d) => d.tookMs <= FAIR_MIX_TIMEOUT_MS)).toBe(true);
    expect(got[0]?.tookMs).toBe(FAIR_MIX_TIMEOUT_MS);
    // The stalled source's turns wait 100, 50, 25, ... ms: at most twice the timeout in all.
    const total = got.reduce((sum, d) => sum + d.tookMs, 0);
    expect(total).toBeLessThanOrEqual(2 * FAIR_MIX_TIMEOUT_MS + got.length * STEP_MS);
    await it.return?.();
    expect(sources.map((s) => s.open)).toEqual([0, 0]);
    expect(clock.pending).toBe(0);
  });

  it('a source that floods does not starve a slow one', async () => {
    const { clock, sources, mix } = setup([{ kind: 'flood' }, { kind: 'paced', everyMs: 40 }]);
    const it = mix.lookup()[Symbol.asyncIterator]();
    const got = await draws(it, clock, 40);
    const slow = sources[1]?.port ?? 0;
    // Every other turn is the slow source's, and 40 ms is within its timeout.
    expect(count(got, slow)).toBe(20);
    await it.return?.();
  });

  it('drops sources that end and ends when all have; ended ones open again with the next stream', async () => {
    const { clock, sources, mix } = setup([
      { kind: 'list', count: 2 },
      { kind: 'list', count: 5 },
    ]);
    const [short, long] = sources.map((s) => s.port);
    const it = mix.randomNodes()[Symbol.asyncIterator]();
    const got = await draws(it, clock, 8);
    expect(got.map((d) => d.port)).toEqual([short, long, short, long, long, long, long, undefined]);
    expect(got.every((d) => d.tookMs === 0)).toBe(true);
    const again = mix.randomNodes()[Symbol.asyncIterator]();
    expect((await draw(again, clock)).port).toBe(short);
    expect(sources.map((s) => s.opened)).toEqual([2, 2]);
    await again.return?.();
  });

  it('abort releases a pending draw at once and leaves no timer or open stream', async () => {
    const { clock, sources, mix } = setup([{ kind: 'stall' }, { kind: 'stall' }]);
    const controller = new AbortController();
    const it = mix.randomNodes({ signal: controller.signal })[Symbol.asyncIterator]();
    let settled: IteratorResult<Node> | undefined;
    void it.next().then((r) => {
      settled = r;
    });
    await waitFor(() => clock.pending === 1, { what: 'the draw waits on its timer' });
    controller.abort();
    await waitFor(() => settled !== undefined, { what: 'the draw ends' });
    expect(settled?.done).toBe(true);
    expect(clock.now()).toBe(0);
    expect(clock.pending).toBe(0);
    expect(sources.map((s) => s.open)).toEqual([0, 0]);
  });

  it('close() ends open streams, refuses sources, and later streams are empty', async () => {
    const { clock, sources, mix } = setup([{ kind: 'stall' }]);
    const it = mix.randomNodes()[Symbol.asyncIterator]();
    const pending = it.next();
    await waitFor(() => clock.pending === 1, { what: 'the draw waits on its timer' });
    await mix.close();
    expect((await pending).done).toBe(true);
    expect(sources[0]?.open).toBe(0);
    expect(clock.pending).toBe(0);
    const late = new ScriptedSource(40_000, { kind: 'flood' }, clock);
    mix.addSource(late);
    expect((await mix.lookup()[Symbol.asyncIterator]().next()).done).toBe(true);
    expect(late.opened).toBe(0);
    await mix.close();
  });

  it('leaving a stream early closes every source stream and cancels the timer', async () => {
    const { clock, sources, mix } = setup([{ kind: 'flood' }, { kind: 'paced', everyMs: 500 }]);
    const it = mix.randomNodes()[Symbol.asyncIterator]();
    const got = await draws(it, clock, 3);
    expect(got.map((d) => d.port)).toEqual([30_001, 30_001, 30_001]);
    // The slow source's read sleeps on the clock while the stream waits at a yield.
    expect(clock.pending).toBe(1);
    await it.return?.();
    expect(sources.map((s) => s.open)).toEqual([0, 0]);
    expect(clock.pending).toBe(0);
  });

  it('a failing source is dropped, counted and logged; the others go on', async () => {
    const { clock, logger, sources, mix } = setup([{ kind: 'fail', after: 1 }, { kind: 'flood' }]);
    const it = mix.randomNodes()[Symbol.asyncIterator]();
    const got = await draws(it, clock, 6);
    const [failing, flood] = sources.map((s) => s.port);
    expect(got.map((d) => d.port)).toEqual([failing, flood, flood, flood, flood, flood]);
    expect(mix.failures).toBe(1);
    expect(logger.lines).toContainEqual({
      level: 'debug',
      msg: 'fair mix: source failed',
      fields: { source: 's0', err: 'Error: source broke' },
    });
    await it.return?.();
  });

  it('a source that throws on open is counted; resolve skips a failing source', async () => {
    const { clock, mix } = setup([{ kind: 'fail', after: 0 }]);
    const broken: NodeSource = {
      randomNodes: () => {
        throw new Error('cannot open');
      },
      lookup: () => {
        throw new Error('cannot open');
      },
      resolve: async () => undefined,
    };
    const good = new ScriptedSource(30_100, { kind: 'list', count: 1 }, clock);
    mix.addSource(broken, 'broken');
    mix.addSource(good, 'good');
    const it = mix.randomNodes()[Symbol.asyncIterator]();
    expect((await draws(it, clock, 2)).map((d) => d.port)).toEqual([30_100, undefined]);
    expect(mix.failures).toBe(2);
    const known = Node.fromPublicKey(KEY, { ip: '10.0.0.1', tcp: 30_100, udp: 1 });
    expect(await mix.resolve(known)).toBe(known);
    expect(mix.failures).toBe(3);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    expect((await rejectedError(mix.resolve(known, controller), Error)).message).toBe('stop');
  });

  it('a source added while a stream is open joins it; lookups pass the target to every source', async () => {
    const { clock, sources, mix } = setup([{ kind: 'stall' }]);
    const target = KEY;
    const it = mix.lookup(target)[Symbol.asyncIterator]();
    const first = draw(it, clock);
    await waitFor(() => clock.pending === 1, { what: 'the draw waits on its timer' });
    const late = new ScriptedSource(30_200, { kind: 'flood' }, clock);
    mix.addSource(late);
    expect((await first).port).toBe(30_200);
    expect(sources[0]?.targets).toEqual([target]);
    expect(late.targets).toEqual([target]);
    await it.return?.();
  });

  it('with an infinite timeout it waits for the fair choice; other timeouts are refused', async () => {
    const { clock, mix } = setup([{ kind: 'paced', everyMs: 300 }, { kind: 'flood' }], Infinity);
    const it = mix.randomNodes()[Symbol.asyncIterator]();
    const got = await draws(it, clock, 2);
    expect(got.map((d) => d.port)).toEqual([30_001, 30_002]);
    expect(got[0]?.tookMs).toBeGreaterThanOrEqual(300);
    await it.return?.();
    expect(() => new FairMix({ timeoutMs: 0 })).toThrow(RangeError);
    expect(() => new FairMix({ timeoutMs: -1 })).toThrow(RangeError);
  });
});
