/**
 * Admission control and ordering of signature work, apart from the threads that run it: a
 * bounded queue per work class (the most valuable is taken first, FIFO within a class), shedding
 * of the least valuable work when full, and per-key delivery in submission order. Pure and
 * synchronous: the pool feeds it and drains it; tests drive it alone.
 * @module
 */
import { SignaturePoolError } from './errors.ts';
import { Fifo } from './fifo.ts';
import type { RecoverOutcome, SealOutcome, WorkClass } from './types.ts';
import { WORK_CLASSES } from './types.ts';

/** The outcome of a job of either kind. */
export type JobOutcome = RecoverOutcome | SealOutcome;

/** One piece of work as the scheduler tracks it. */
export interface Job {
  /** 0 = recover the sender of `bytes`, 1 = seal `bytes`. */
  readonly kind: 0 | 1;
  readonly bytes: Uint8Array;
  readonly key: string;
  /** The class it was submitted with (what shedding counts). */
  readonly workClass: WorkClass;
  /** Index in {@link WORK_CLASSES} it is scheduled at: raised when later work of its key ranks higher. */
  rank: number;
  state: 'queued' | 'running' | 'finished' | 'delivered';
  outcome: JobOutcome | undefined;
  readonly done: (outcome: JobOutcome) => void;
}

/** Options of {@link Scheduler}. */
export interface SchedulerOptions {
  /** Most jobs waiting at once; beyond it the least valuable is shed. */
  readonly maxQueued: number;
  /** Called when a `done` callback throws (the callbacks are the caller's; they should not). */
  readonly onCallbackError: (err: unknown) => void;
}

/**
 * Owns every job from submission to delivery. Not thread-aware: the pool calls {@link take}
 * when a worker has room and {@link finish} when results come back.
 */
export class Scheduler {
  readonly #maxQueued: number;
  readonly #onCallbackError: (err: unknown) => void;
  /** One FIFO per rank. An entry is live while its job is queued at that rank (lazy removal). */
  readonly #queues: Fifo<Job>[] = WORK_CLASSES.map(() => new Fifo<Job>());
  /** Undelivered jobs per key, in submission order. */
  readonly #byKey = new Map<string, Fifo<Job>>();
  readonly #shed: Record<WorkClass, number> = { ping: 0, request: 0, own: 0 };
  #queued = 0;
  #running = 0;

  constructor(options: SchedulerOptions) {
    this.#maxQueued = options.maxQueued;
    this.#onCallbackError = options.onCallbackError;
  }

  /** Jobs waiting to be taken. */
  get queued(): number {
    return this.#queued;
  }

  /** Jobs taken and not finished. */
  get running(): number {
    return this.#running;
  }

  /** Jobs shed so far, by submitted class. */
  get shed(): Readonly<Record<WorkClass, number>> {
    return { ...this.#shed };
  }

  /**
   * Queues `job`. When the queue is full, the oldest job of the lowest class below the job's
   * is shed to make room, or else the job itself (its `done` runs at once with `SHED`).
   */
  submit(job: Job): void {
    if (this.#queued >= this.#maxQueued && !this.#evictBelow(job.rank)) {
      this.#shed[job.workClass]++;
      job.state = 'delivered';
      this.#call(job, shedOutcome());
      return;
    }
    let list = this.#byKey.get(job.key);
    if (list === undefined) {
      list = new Fifo<Job>();
      this.#byKey.set(job.key, list);
    }
    this.#promoteBefore(list, job.rank);
    list.push(job);
    this.#enqueue(job);
  }

  /** Up to `max` queued jobs, the most valuable class first, oldest first within it. */
  take(max: number): Job[] {
    const out: Job[] = [];
    for (let rank = this.#queues.length - 1; rank >= 0 && out.length < max; rank--) {
      const queue = this.#queues[rank] as Fifo<Job>;
      while (out.length < max) {
        const job = this.#shiftLive(queue, rank);
        if (job === undefined) break;
        job.state = 'running';
        this.#queued--;
        this.#running++;
        out.push(job);
      }
    }
    return out;
  }

  /** Records a taken job's outcome and delivers what its key's order allows. */
  finish(job: Job, outcome: JobOutcome): void {
    if (job.state !== 'running') return;
    this.#running--;
    this.#complete(job, outcome);
  }

  /** Fails every job not yet delivered (queued or running) with `error`, in order. */
  failAll(error: SignaturePoolError): void {
    for (const list of [...this.#byKey.values()]) {
      for (let i = list.length - 1; i >= 0; i--) {
        const job = list.fromEnd(i) as Job;
        if (job.state === 'queued') this.#queued--;
        if (job.state === 'running') this.#running--;
        if (job.state === 'queued' || job.state === 'running') {
          job.state = 'finished';
          job.outcome = { ok: false, error };
        }
      }
      const key = list.peek()?.key;
      if (key !== undefined) this.#deliver(key);
    }
  }

  #enqueue(job: Job): void {
    job.state = 'queued';
    (this.#queues[job.rank] as Fifo<Job>).push(job);
    this.#queued++;
  }

  /**
   * Raises the undelivered jobs of a key that rank below `rank` to it, so a valuable job is not
   * held back behind them. Ranks along a key's list never increase, so the walk stops at the
   * first job already high enough.
   */
  #promoteBefore(list: Fifo<Job>, rank: number): void {
    const raised: Job[] = [];
    for (let i = 0; i < list.length; i++) {
      const job = list.fromEnd(i) as Job;
      if (job.rank >= rank) break;
      raised.push(job);
    }
    for (let i = raised.length - 1; i >= 0; i--) {
      const job = raised[i] as Job;
      job.rank = rank;
      if (job.state === 'queued') (this.#queues[rank] as Fifo<Job>).push(job);
    }
  }

  /** Sheds the oldest queued job of the lowest rank below `rank`; whether there was one. */
  #evictBelow(rank: number): boolean {
    for (let r = 0; r < rank; r++) {
      const victim = this.#shiftLive(this.#queues[r] as Fifo<Job>, r);
      if (victim === undefined) continue;
      this.#queued--;
      this.#shed[victim.workClass]++;
      this.#complete(victim, shedOutcome());
      return true;
    }
    return false;
  }

  /** The oldest job still queued at `rank`, removed; stale entries are dropped on the way. */
  #shiftLive(queue: Fifo<Job>, rank: number): Job | undefined {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      if (job.state === 'queued' && job.rank === rank) return job;
    }
    return undefined;
  }

  #complete(job: Job, outcome: JobOutcome): void {
    job.state = 'finished';
    job.outcome = outcome;
    this.#deliver(job.key);
  }

  /** Runs the callbacks of a key's finished jobs from the oldest until an unfinished one. */
  #deliver(key: string): void {
    const list = this.#byKey.get(key);
    if (list === undefined) return;
    for (let job = list.peek(); job?.state === 'finished'; job = list.peek()) {
      list.shift();
      job.state = 'delivered';
      this.#call(job, job.outcome as JobOutcome);
    }
    if (list.length === 0 && this.#byKey.get(key) === list) this.#byKey.delete(key);
  }

  #call(job: Job, outcome: JobOutcome): void {
    try {
      job.done(outcome);
    } catch (err) {
      this.#onCallbackError(err);
    }
  }
}

function shedOutcome(): JobOutcome {
  return { ok: false, error: new SignaturePoolError('SHED', 'signature pool saturated') };
}
