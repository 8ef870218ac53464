/**
 * Per-peer budgets of handling time and response bytes, and one fair rotation of every peer's
 * messages. Not in go-ethereum, where each peer's goroutine serves its requests one at a time
 * and the Go scheduler shares the cores; in one JavaScript thread a peer's decode, serve and
 * encode run between everyone else's I/O, so they are scheduled here:
 *
 * - Each peer has two token buckets on the injected clock: handling time (decode, serve, encode
 *   and the synchronous part of the write, as the clock measures it) and response bytes, and a
 *   cap on its response bytes not yet accepted by the transport. A message is handled once its
 *   peer has time and bytes left and room in flight; until then it waits (the peer's read loop
 *   waits with it, so TCP pushes back on the sender) while the other peers go on.
 * - The peers whose messages may run are served in turn, one message each, and the rotation
 *   gives the event loop back after {@link DEFAULT_SLICE_MS} of work, so a handshake or a
 *   discovery reply waits for one slice (and the message running), not for every peer's queue.
 * - Responses not yet accepted by the transport are also capped across all peers
 *   ({@link DEFAULT_MAX_TOTAL_IN_FLIGHT_BYTES}) and charged to a shared pool when one is given
 *   (the server's ingress budget, so received messages and unwritten responses share one
 *   bound): a request is served only while the total is under the cap, in arrival order. The
 *   cap frees as the transport takes responses (a peer that takes none is closed by its write
 *   timeout), so a message waiting for it, which holds its room in the pool, always runs.
 * - A peer over budget is only slowed down: a peer that asks again as soon as it is answered (a
 *   syncing node) is served at its budget's rate for as long as it likes. A peer whose one
 *   waiting message has waited {@link DEFAULT_DROP_AFTER_MS} (it does not take the responses it
 *   has in flight) is dropped with DiscReason UselessPeer, the reason geth gives when its
 *   handlers drop a peer they do not want.
 * @module
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  type Clock,
  checkPositiveInt,
  checkPositiveMs,
  systemClock,
  type Timer,
} from '@ethp2p/base';
import { DiscReason, PeerError } from '@ethp2p/server';
import { SOFT_RESPONSE_LIMIT_BYTES } from '../serve/limits.ts';

/** Handling time a peer earns per second, in ms: a tenth of a core. */
export const DEFAULT_TIME_PER_SECOND_MS = 100;
/** Handling time a peer may spend at once, in ms. */
export const DEFAULT_TIME_BURST_MS = 250;
/** Response bytes a peer earns per second. */
export const DEFAULT_BYTES_PER_SECOND: number = 4 * 1024 * 1024;
/** Response bytes a peer may take at once. */
export const DEFAULT_BYTES_BURST: number = 8 * 1024 * 1024;
/** Response bytes of one peer written but not yet accepted by the transport before it waits. */
export const DEFAULT_MAX_IN_FLIGHT_BYTES: number = SOFT_RESPONSE_LIMIT_BYTES;
/** Response bytes of all peers written but not yet accepted by the transport before any waits. */
export const DEFAULT_MAX_TOTAL_IN_FLIGHT_BYTES: number = 16 * 1024 * 1024;
/** Work the rotation does before it gives the event loop back, in ms. */
export const DEFAULT_SLICE_MS = 4;
/** How long a peer may stay over its budget before it is dropped, in ms. */
export const DEFAULT_DROP_AFTER_MS = 10_000;

/** Options of {@link ServeBudget}; every default is above. */
export interface ServeBudgetOptions {
  /** Measures handling time and refills the buckets (default: the system clock). */
  readonly clock?: Clock;
  readonly timePerSecondMs?: number;
  readonly timeBurstMs?: number;
  readonly bytesPerSecond?: number;
  readonly bytesBurst?: number;
  readonly maxInFlightBytes?: number;
  /** Cap on every peer's responses in flight together (default {@link DEFAULT_MAX_TOTAL_IN_FLIGHT_BYTES}). */
  readonly maxTotalInFlightBytes?: number;
  /**
   * A pool the responses in flight are charged to until the transport takes them (the
   * server's `IngressBudget`: `charge` holds room at once, and large incoming messages wait
   * while it is full). Default: none.
   */
  readonly pool?: ResponsePool;
  readonly sliceMs?: number;
  readonly dropAfterMs?: number;
  /**
   * Handling time all peers together earn per second, in ms (their per-peer budgets add up
   * past what one thread has when many peers ask at once): once spent, the rotation pauses
   * until it refills, and the event loop is free for handshakes and discovery meanwhile.
   * Default: no such cap.
   */
  readonly totalTimePerSecondMs?: number;
  /** Handling time all peers together may spend at once (default `totalTimePerSecondMs`). */
  readonly totalTimeBurstMs?: number;
}

/** Room in a shared pool, held until released. */
export interface PoolCharge {
  /** Gives the room back. Idempotent. */
  release(): void;
}

/** A pool of bytes that responses in flight are charged to (the server's `IngressBudget`). */
export interface ResponsePool {
  /** Holds `bytes` at once, past the pool's size if need be (never waits). */
  charge(bytes: number): PoolCharge;
}

/** The counters of a {@link ServeBudget} (a snapshot). */
export interface ServeBudgetMetrics {
  /** Messages handled. */
  readonly handled: number;
  /** Handling time measured, in ms. */
  readonly handlingMs: number;
  /** Response bytes charged. */
  readonly responseBytes: number;
  /** Messages that found their peer over budget and waited. */
  readonly deferred: number;
  /** Peers dropped (UselessPeer) for staying over their budget. */
  readonly dropped: number;
  /** Peers with a lane now. */
  readonly peers: number;
  /** Peers whose message waits for their budget now. */
  readonly throttled: number;
  /** Response bytes of all peers not yet accepted by the transport now. */
  readonly inFlightBytes: number;
  /** The most response bytes in flight at once so far. */
  readonly peakInFlightBytes: number;
  /** Peers whose message waits for the cap on every peer's responses in flight now. */
  readonly waitingForRoom: number;
}

/** A bucket that refills continuously up to `burst` and may go into debt by one charge. */
class TokenBucket {
  readonly #perMs: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;

  constructor(perSecond: number, burst: number, now: number) {
    this.#perMs = perSecond / 1000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#last = now;
  }

  level(now: number): number {
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#perMs);
    this.#last = now;
    return this.#tokens;
  }

  charge(amount: number, now: number): void {
    this.level(now);
    this.#tokens -= amount;
  }

  /** Time until the level is above zero again (0 when it is). */
  msUntilPositive(now: number): number {
    const level = this.level(now);
    return level > 0 ? 0 : Math.ceil(-level / this.#perMs) + 1;
  }
}

interface Job {
  readonly run: () => unknown;
  /** A response to our own request: in the rotation, but neither held back nor charged. */
  readonly solicited: boolean;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

/** What the budget keeps of one lane. */
interface LaneState {
  readonly time: TokenBucket;
  readonly bytes: TokenBucket;
  /** Response bytes not yet accepted by the transport. */
  inFlight: number;
  /** The message waiting for its turn or its budget. */
  job: Job | null;
  /** Whether the job is in the rotation (else it waits for the budget). */
  ready: boolean;
  /** The refill the waiting job waits for. */
  timer: Timer | null;
  /** Removes the lane's abort listener. */
  readonly unlisten: () => void;
  /** Since when the waiting message has waited for its budget, or null. */
  throttledSince: number | null;
}

/**
 * One peer's place in a {@link ServeBudget}, made by {@link ServeBudget.join}: the budget owns
 * its buckets, its bytes in flight and the one message it may have waiting.
 */
export interface ServeLane {
  /**
   * Runs `job` (synchronous: decode, serve, encode, write) at the peer's turn, once it has
   * budget, charges the time it took and returns its result. One job at a time per lane.
   * With `solicited` (a response to a request of ours) the job takes its turn in the rotation
   * but is neither held back by the budget nor charged to it: we asked for that work.
   * @throws {PeerError} UselessPeer when the peer stayed over its budget too long,
   *   ClientQuitting once the lane left; the job's error; the signal's reason on abort
   */
  run<T>(job: () => T, options?: { readonly solicited?: boolean }): Promise<T>;
  /** Charges `bytes` of response, counted in flight until `written` settles. */
  sent(bytes: number, written: Promise<unknown>): void;
  /** Leaves the budget (when the peer's run ends); a waiting job rejects. Idempotent. */
  leave(): void;
}

/**
 * The serving budgets of every eth peer and the rotation that runs their messages: one owner,
 * shared by every eth version of a node (see the module comment).
 */
export class ServeBudget {
  readonly #clock: Clock;
  readonly #timePerSecond: number;
  readonly #timeBurst: number;
  readonly #bytesPerSecond: number;
  readonly #bytesBurst: number;
  readonly #maxInFlight: number;
  readonly #maxTotalInFlight: number;
  readonly #pool: ResponsePool | undefined;
  readonly #sliceMs: number;
  readonly #dropAfterMs: number;
  /** Every peer's handling time together, when capped. */
  readonly #totalTime: TokenBucket | undefined;
  /** The refill the paused rotation waits for. */
  #resume: Timer | null = null;
  readonly #lanes = new Set<LaneState>();
  /** Lanes whose job may run, in turn. */
  #ready: LaneState[] = [];
  /** Lanes whose job waits for the total in flight to go under its cap, in arrival order. */
  #waitingForRoom: LaneState[] = [];
  /** Where a woken lane that found the cap full again goes back in, keeping their order. */
  #requeueAt = 0;
  #totalInFlight = 0;
  #peakInFlight = 0;
  #pumping = false;
  #handled = 0;
  #handlingMs = 0;
  #responseBytes = 0;
  #deferred = 0;
  #dropped = 0;

  /** @throws {RangeError} for a bad option */
  constructor(options: ServeBudgetOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#timePerSecond = checkPositiveMs(
      'timePerSecondMs',
      options.timePerSecondMs ?? DEFAULT_TIME_PER_SECOND_MS,
    );
    this.#timeBurst = checkPositiveMs('timeBurstMs', options.timeBurstMs ?? DEFAULT_TIME_BURST_MS);
    this.#bytesPerSecond = checkPositiveInt(
      'bytesPerSecond',
      options.bytesPerSecond ?? DEFAULT_BYTES_PER_SECOND,
    );
    this.#bytesBurst = checkPositiveInt('bytesBurst', options.bytesBurst ?? DEFAULT_BYTES_BURST);
    this.#maxInFlight = checkPositiveInt(
      'maxInFlightBytes',
      options.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES,
    );
    this.#maxTotalInFlight = checkPositiveInt(
      'maxTotalInFlightBytes',
      options.maxTotalInFlightBytes ?? DEFAULT_MAX_TOTAL_IN_FLIGHT_BYTES,
    );
    this.#pool = options.pool;
    this.#sliceMs = checkPositiveMs('sliceMs', options.sliceMs ?? DEFAULT_SLICE_MS);
    const total = options.totalTimePerSecondMs;
    this.#totalTime =
      total === undefined
        ? undefined
        : new TokenBucket(
            checkPositiveMs('totalTimePerSecondMs', total),
            checkPositiveMs('totalTimeBurstMs', options.totalTimeBurstMs ?? total),
            this.#clock.now(),
          );
    this.#dropAfterMs = checkPositiveMs(
      'dropAfterMs',
      options.dropAfterMs ?? DEFAULT_DROP_AFTER_MS,
    );
  }

  /** A snapshot of the counters. */
  get metrics(): ServeBudgetMetrics {
    let throttled = 0;
    for (const state of this.#lanes) if (state.job !== null && !state.ready) throttled++;
    return {
      handled: this.#handled,
      handlingMs: this.#handlingMs,
      responseBytes: this.#responseBytes,
      deferred: this.#deferred,
      dropped: this.#dropped,
      peers: this.#lanes.size,
      throttled: throttled - this.#waitingForRoom.length,
      inFlightBytes: this.#totalInFlight,
      peakInFlightBytes: this.#peakInFlight,
      waitingForRoom: this.#waitingForRoom.length,
    };
  }

  /**
   * A lane for one peer's run, with full buckets; it leaves when `signal` aborts (its waiting
   * message rejects with the signal's reason).
   */
  join(signal: AbortSignal): ServeLane {
    const now = this.#clock.now();
    const onAbort = (): void => this.#leave(state, signal.reason);
    const state: LaneState = {
      time: new TokenBucket(this.#timePerSecond, this.#timeBurst, now),
      bytes: new TokenBucket(this.#bytesPerSecond, this.#bytesBurst, now),
      inFlight: 0,
      job: null,
      ready: false,
      timer: null,
      throttledSince: null,
      unlisten: () => signal.removeEventListener('abort', onAbort),
    };
    this.#lanes.add(state);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    return {
      run: <T>(job: () => T, options?: { readonly solicited?: boolean }) =>
        this.#submit(state, job, options?.solicited ?? false) as Promise<T>,
      sent: (bytes, written) => this.#sent(state, bytes, written),
      leave: () => this.#leave(state, new PeerError(DiscReason.ClientQuitting, 'eth: peer left')),
    };
  }

  #submit(state: LaneState, run: () => unknown, solicited: boolean): Promise<unknown> {
    if (!this.#lanes.has(state)) {
      return Promise.reject(new PeerError(DiscReason.ClientQuitting, 'eth: peer left'));
    }
    if (state.job !== null) return Promise.reject(new TypeError('lane: one job at a time'));
    return new Promise((resolve, reject) => {
      const now = this.#clock.now();
      state.job = { run, solicited, resolve, reject };
      if (solicited || (this.#hasBudget(state, now) && this.#hasRoom())) {
        if (!solicited) state.throttledSince = null;
        this.#makeReady(state);
        return;
      }
      this.#deferred++;
      if (this.#hasBudget(state, now)) {
        this.#waitForRoom(state);
        return;
      }
      state.throttledSince = now;
      this.#park(state, now);
    });
  }

  #sent(state: LaneState, bytes: number, written: Promise<unknown>): void {
    if (!this.#lanes.has(state) || bytes <= 0) return;
    state.bytes.charge(bytes, this.#clock.now());
    this.#responseBytes += bytes;
    state.inFlight += bytes;
    this.#totalInFlight += bytes;
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#totalInFlight);
    const charge = this.#pool?.charge(bytes);
    const release = (): void => {
      charge?.release();
      state.inFlight -= bytes;
      this.#totalInFlight -= bytes;
      this.#recheck(state);
      this.#wakeForRoom();
    };
    written.then(release, release);
  }

  #hasBudget(state: LaneState, now: number): boolean {
    return (
      state.time.level(now) > 0 && state.bytes.level(now) > 0 && state.inFlight < this.#maxInFlight
    );
  }

  /** Whether every peer's responses in flight together are under their cap. */
  #hasRoom(): boolean {
    return this.#totalInFlight < this.#maxTotalInFlight;
  }

  /** Queues a lane whose own budget allows its job for the total in flight to go down. */
  #waitForRoom(state: LaneState): void {
    state.throttledSince = null;
    if (!this.#waitingForRoom.includes(state)) this.#waitingForRoom.push(state);
  }

  /** Lets the lanes waiting for the total in flight go, in order, while it is under its cap. */
  #wakeForRoom(): void {
    this.#requeueAt = 0;
    while (this.#hasRoom()) {
      const state = this.#waitingForRoom.shift();
      if (state === undefined) return;
      this.#recheck(state);
    }
  }

  /** Waits for the buckets to refill (a timer) or for bytes in flight to be written. */
  #park(state: LaneState, now: number): void {
    const refill = Math.max(state.time.msUntilPositive(now), state.bytes.msUntilPositive(now));
    const dropIn = this.#dropAfterMs - (now - (state.throttledSince ?? now));
    // Bytes in flight (refill 0) wait for their release, which rechecks, or for the drop.
    const wait = refill === 0 ? dropIn : Math.min(refill, dropIn);
    state.timer = this.#clock.schedule(Math.max(1, wait), () => {
      state.timer = null;
      this.#recheck(state);
    });
  }

  /**
   * A waiting lane whose budget may be back. Its message runs once it is; a message that has
   * waited {@link DEFAULT_DROP_AFTER_MS} (a peer that does not take its responses) ends the peer.
   */
  #recheck(state: LaneState): void {
    if (state.job === null || state.ready) return;
    if (!this.#lanes.has(state)) return;
    if (this.#waitingForRoom.includes(state)) return;
    const now = this.#clock.now();
    if (this.#hasBudget(state, now)) {
      this.#cancelTimer(state);
      state.throttledSince = null;
      if (this.#hasRoom()) this.#makeReady(state);
      else this.#waitForRoom(state);
      return;
    }
    const waited = now - (state.throttledSince ?? now);
    if (waited >= this.#dropAfterMs) {
      this.#cancelTimer(state);
      const { job } = state;
      state.job = null;
      state.throttledSince = null;
      this.#dropped++;
      job.reject(
        new PeerError(DiscReason.UselessPeer, `eth: over its serve budget for ${waited} ms`),
      );
      return;
    }
    if (state.timer === null) this.#park(state, now);
  }

  #cancelTimer(state: LaneState): void {
    state.timer?.cancel();
    state.timer = null;
  }

  #makeReady(state: LaneState): void {
    state.ready = true;
    this.#ready.push(state);
    this.#startPump();
  }

  #startPump(): void {
    if (this.#pumping || this.#resume !== null) return;
    this.#pumping = true;
    void this.#pump();
  }

  /** Whether the cap on every peer's handling time pauses the rotation (it then resumes itself). */
  #paused(): boolean {
    const total = this.#totalTime;
    if (total === undefined) return false;
    const wait = total.msUntilPositive(this.#clock.now());
    if (wait === 0) return false;
    this.#resume = this.#clock.schedule(wait, () => {
      this.#resume = null;
      if (this.#ready.length > 0) this.#startPump();
    });
    return true;
  }

  /**
   * Runs ready jobs in turn, a slice at a time, each slice in its own turn of the event loop
   * (after its I/O), until none is ready.
   */
  async #pump(): Promise<void> {
    try {
      while (this.#ready.length > 0) {
        await nextTurn();
        if (this.#paused()) return;
        const start = this.#clock.now();
        do {
          const next = this.#ready.shift();
          if (next !== undefined) this.#runOne(next);
        } while (this.#ready.length > 0 && this.#clock.now() - start < this.#sliceMs);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #runOne(state: LaneState): void {
    const job = state.job;
    if (job === null) return;
    state.ready = false;
    if (!job.solicited && !this.#hasRoom()) {
      // Made ready with others when room came back; the cap filled before its turn.
      this.#waitingForRoom.splice(this.#requeueAt++, 0, state);
      return;
    }
    state.job = null;
    const start = this.#clock.now();
    let result: unknown;
    let failed = false;
    try {
      result = job.run();
    } catch (err) {
      failed = true;
      result = err;
    }
    const end = this.#clock.now();
    const spent = Math.max(0, end - start);
    if (!job.solicited) state.time.charge(spent, end);
    this.#totalTime?.charge(spent, end);
    this.#handled++;
    this.#handlingMs += spent;
    if (failed) job.reject(result);
    else job.resolve(result);
  }

  #leave(state: LaneState, reason: unknown): void {
    if (!this.#lanes.delete(state)) return;
    state.unlisten();
    state.timer?.cancel();
    state.timer = null;
    if (state.ready) this.#ready = this.#ready.filter((l) => l !== state);
    this.#waitingForRoom = this.#waitingForRoom.filter((l) => l !== state);
    const job = state.job;
    state.job = null;
    job?.reject(reason);
  }
}
