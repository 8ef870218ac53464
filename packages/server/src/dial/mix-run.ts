/**
 * One stream of a {@link FairMix}: the sources' streams it reads, one node ahead each, and the
 * draw that takes turns between them (geth `p2p/enode/iter.go` `FairMix.Next`).
 * @module
 */
import { type Clock, type Logger, TaskGroup } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import type { NodeSource } from '../node-source.ts';

/** A source of the mix with the name its logs use. */
export interface MixEntry {
  readonly name: string;
  readonly source: NodeSource;
}

/** What a {@link MixRun} needs from its mix. */
export interface MixRunDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** The wait for the source whose turn it is; `Infinity` waits for it always. */
  readonly timeoutMs: number;
  /** Opens the stream this run reads from `source` (its random nodes or a lookup). */
  open(source: NodeSource, signal: AbortSignal): AsyncIterable<Node>;
  /** A source's stream failed (it is dropped from this run). */
  failed(name: string, err: unknown): void;
}

/** One source's stream within a run. */
interface Lane {
  readonly name: string;
  readonly iterator: AsyncIterator<Node>;
  /** The node read ahead and not taken yet: at most one, like geth's unbuffered channel. */
  ahead: Node | undefined;
  reading: boolean;
  ended: boolean;
  /** This lane's wait for its turn: halved at each timeout, reset when it delivers (geth). */
  timeoutMs: number;
}

/**
 * The state of one mix stream, owned by the stream's generator: each lane keeps one read in
 * flight or one node ahead, and {@link MixRun.next} draws in turn. Reads settle into the lanes
 * from their own tasks and only wake the draw; `next()` calls do not overlap (the generator
 * serialises them). {@link MixRun.dispose} aborts the sources' streams, awaits the reads in
 * flight and closes what is still open.
 */
export class MixRun {
  readonly #deps: MixRunDeps;
  readonly #controller = new AbortController();
  readonly #signal: AbortSignal;
  readonly #lanes: Lane[] = [];
  readonly #reads = new TaskGroup();
  /** Index of the lane drawn last; the next draw starts after it (geth `last`). */
  #last = -1;
  #wake: (() => void) | undefined;
  #disposed: Promise<void> | undefined;

  constructor(deps: MixRunDeps, signal: AbortSignal | undefined) {
    this.#deps = deps;
    const own = this.#controller.signal;
    this.#signal = signal === undefined ? own : AbortSignal.any([signal, own]);
    this.#signal.addEventListener('abort', this.#notify, { once: true });
  }

  /** Opens `entry`'s stream and starts reading it; a source that throws on open is dropped. */
  add(entry: MixEntry): void {
    if (this.#signal.aborted) return;
    let iterator: AsyncIterator<Node>;
    try {
      iterator = this.#deps.open(entry.source, this.#signal)[Symbol.asyncIterator]();
    } catch (err) {
      this.#deps.failed(entry.name, err);
      return;
    }
    const lane: Lane = {
      name: entry.name,
      iterator,
      ahead: undefined,
      reading: false,
      ended: false,
      timeoutMs: this.#deps.timeoutMs,
    };
    this.#lanes.push(lane);
    this.#read(lane);
  }

  /**
   * The next node: from the lane whose turn it is, or, when that lane has none within its
   * timeout, from whichever lane has one first. Undefined once every lane has ended, or on
   * abort.
   */
  async next(): Promise<Node | undefined> {
    for (;;) {
      const lane = this.#pick();
      if (lane === undefined || this.#signal.aborted) return undefined;
      const outcome = await this.#waitFor(lane);
      if (outcome === 'delivered') {
        lane.timeoutMs = this.#deps.timeoutMs;
        return this.#take(lane);
      }
      if (outcome === 'timeout') {
        lane.timeoutMs = Math.floor(lane.timeoutMs / 2);
        return this.#fromAny();
      }
    }
  }

  /** Ends the run; safe to call twice. Resolves once no read is in flight and streams closed. */
  dispose(): Promise<void> {
    this.#disposed ??= this.#dispose();
    return this.#disposed;
  }

  async #dispose(): Promise<void> {
    this.#controller.abort();
    this.#notify();
    await this.#reads.wait();
    const open = this.#lanes.splice(0);
    await Promise.allSettled(open.map(async (lane) => lane.iterator.return?.()));
  }

  /** Waits for `lane`'s node within its timeout. */
  async #waitFor(lane: Lane): Promise<'delivered' | 'ended' | 'timeout' | 'aborted'> {
    let timedOut = lane.timeoutMs <= 0;
    const timer =
      timedOut || lane.timeoutMs === Number.POSITIVE_INFINITY
        ? undefined
        : this.#deps.clock.schedule(lane.timeoutMs, () => {
            timedOut = true;
            this.#notify();
          });
    try {
      for (;;) {
        if (lane.ahead !== undefined) return 'delivered';
        if (lane.ended) return 'ended';
        if (this.#signal.aborted) return 'aborted';
        if (timedOut) return 'timeout';
        await this.#changed();
      }
    } finally {
      timer?.cancel();
    }
  }

  /** The first node any lane has ahead, in turn order after the last draw (geth `nextFromAny`). */
  async #fromAny(): Promise<Node | undefined> {
    for (;;) {
      if (this.#signal.aborted || this.#lanes.length === 0) return undefined;
      const n = this.#lanes.length;
      for (let i = 1; i <= n; i++) {
        const lane = this.#lanes[(this.#last + i) % n];
        if (lane?.ahead !== undefined) return this.#take(lane);
      }
      await this.#changed();
    }
  }

  /** The lane whose turn it is (geth `pickSource`). */
  #pick(): Lane | undefined {
    if (this.#lanes.length === 0) return undefined;
    this.#last = (this.#last + 1) % this.#lanes.length;
    return this.#lanes[this.#last];
  }

  #take(lane: Lane): Node | undefined {
    const node = lane.ahead;
    lane.ahead = undefined;
    this.#read(lane);
    return node;
  }

  /** Starts the lane's next read unless one is in flight or a node is ahead. */
  #read(lane: Lane): void {
    if (lane.reading || lane.ended || lane.ahead !== undefined || this.#signal.aborted) return;
    lane.reading = true;
    const step = new Promise<IteratorResult<Node>>((resolve) => resolve(lane.iterator.next()));
    void this.#reads.spawn(
      step.then(
        (result) => {
          lane.reading = false;
          if (result.done === true) this.#end(lane);
          else lane.ahead = result.value;
          this.#notify();
        },
        (err: unknown) => {
          lane.reading = false;
          if (!this.#signal.aborted) this.#deps.failed(lane.name, err);
          this.#end(lane);
          this.#notify();
        },
      ),
    );
  }

  /** Drops an ended lane, keeping the turn on the lane after it. */
  #end(lane: Lane): void {
    lane.ended = true;
    const index = this.#lanes.indexOf(lane);
    if (index < 0) return;
    this.#lanes.splice(index, 1);
    if (index <= this.#last) this.#last--;
  }

  #changed(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
  }

  readonly #notify = (): void => {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  };
}
