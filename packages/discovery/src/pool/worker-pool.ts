/**
 * `SignaturePool`: signature work on a pool of worker threads. Work is queued by class in a
 * {@link Scheduler}; whenever a worker has fewer than two batches out, the next batch (up to
 * `batchSize` jobs, most valuable first) is packed into one buffer and posted, transferred, in one
 * message. Results come back the same way and are delivered per key in submission order. A worker
 * that dies fails its in-flight work with `WORKER_FAILED` and is replaced; one that cannot even
 * start (three times in a row) is not. While no worker is ready (at start, or when all were given
 * up) the work runs inline, one batch per event-loop turn.
 * @module
 */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@ethp2p/base';
import { builtWorkerExecArgv, silentLogger } from '@ethp2p/base';
import { activeBackend } from '@ethp2p/crypto/backends';
import { WireError } from '../wire/errors.ts';
import { HASH_BYTES } from '../wire/signature.ts';
import type { BatchReply, CloseMessage, ReadyMessage } from './batch.ts';
import { JOB_STATUS, KEY_BYTES, packBatch, runBatch } from './batch.ts';
import { SignaturePoolError } from './errors.ts';
import type { ThreadPriority } from './priority.ts';
import { checkNiceIncrement, DEFAULT_WORKER_NICE } from './priority.ts';
import type { Job, JobOutcome } from './scheduler.ts';
import { Scheduler } from './scheduler.ts';
import type {
  RecoverOutcome,
  SealOutcome,
  SignatureRunner,
  SignatureStats,
  WorkOptions,
} from './types.ts';
import { WORK_CLASSES } from './types.ts';

/** Jobs per batch by default: enough to amortise a message, few enough to keep latency low. */
export const DEFAULT_BATCH_SIZE = 32;

/**
 * Jobs that may wait by default: at ~100 µs each, some 50 ms of work for one worker. A deeper
 * queue only adds latency under overload (replies are due within 500 ms) and wastes the work
 * done on packets whose answers are then shed.
 */
export const DEFAULT_MAX_QUEUED = 512;

/** Batches a worker holds at once, so it never waits for the next one to be posted. */
const BATCHES_PER_WORKER = 2;

/** Consecutive failed starts after which a worker slot is given up. */
const MAX_START_FAILURES = 3;

/**
 * The default pool size for this machine: one worker per core, at most 8 (issue 18 scales up to
 * 8). The workers run below the event loop's priority (see `priority.ts`), so they take what
 * the loop leaves: on 2 cores a pool of 2 handled 15–25% more Pings and FindNodes per second than
 * a pool of 1 in `pnpm bench discv4`.
 */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** Options of {@link SignaturePool}. */
export interface SignaturePoolOptions {
  /** Worker threads, at least 1. */
  readonly workers: number;
  /** The 32-byte key that seals packets; each worker gets a copy. */
  readonly privateKey: Uint8Array;
  /** Jobs per message. Default {@link DEFAULT_BATCH_SIZE}. */
  readonly batchSize?: number;
  /** Jobs that may wait before admission control sheds. Default {@link DEFAULT_MAX_QUEUED}. */
  readonly maxQueued?: number;
  readonly logger?: Logger;
  /** The worker script. Default: the built `signature-worker.js` of this package. */
  readonly workerUrl?: URL;
  /**
   * How much lower than the event loop's the workers' priority is, as a nice increment from 0
   * (equal) to 19. Default {@link DEFAULT_WORKER_NICE}; it takes effect on Linux only.
   */
  readonly workerNice?: number;
}

interface Slot {
  worker: Worker;
  /** Batches posted and not answered, by id. */
  readonly inFlight: Map<number, Job[]>;
  ready: boolean;
  startFailures: number;
  retired: boolean;
}

/**
 * A pool of signature worker threads. Its state (queue, slots, in-flight batches) is owned by
 * the thread that created it and changes only in its calls and in worker message and exit
 * events. The workers are unref'd: a pool alone does not keep the process alive.
 * @throws {RangeError} on a bad size; {SignaturePoolError} `WORKER_MISSING` when the worker
 *   script is not built
 */
export class SignaturePool implements SignatureRunner {
  readonly #privateKey: Uint8Array;
  readonly #batchSize: number;
  readonly #logger: Logger;
  readonly #url: URL;
  readonly #backend: string;
  readonly #nice: number;
  readonly #scheduler: Scheduler;
  readonly #slots: Slot[] = [];
  #nextBatch = 0;
  #respawns = 0;
  #inlineBatches = 0;
  #pumpScheduled = false;
  #closing: Promise<void> | undefined;
  /** The crypto backend each worker reported, for tests and diagnostics. */
  readonly backends: string[] = [];
  /** The thread and nice value of each worker that lowered its priority (Linux). */
  readonly priorities: ThreadPriority[] = [];

  constructor(options: SignaturePoolOptions) {
    const { workers, batchSize = DEFAULT_BATCH_SIZE, maxQueued = DEFAULT_MAX_QUEUED } = options;
    for (const [name, v] of [
      ['workers', workers],
      ['batchSize', batchSize],
      ['maxQueued', maxQueued],
    ] as const) {
      if (!Number.isSafeInteger(v) || v < 1) {
        throw new RangeError(`${name}: expected a positive integer, got ${v}`);
      }
    }
    this.#nice = options.workerNice ?? DEFAULT_WORKER_NICE;
    checkNiceIncrement(this.#nice);
    this.#url = options.workerUrl ?? builtWorkerUrl();
    if (!existsSync(fileURLToPath(this.#url))) {
      throw new SignaturePoolError(
        'WORKER_MISSING',
        `signature worker ${fileURLToPath(this.#url)} is missing: run pnpm build first`,
      );
    }
    this.#privateKey = Uint8Array.from(options.privateKey);
    this.#batchSize = batchSize;
    this.#logger = options.logger ?? silentLogger;
    this.#backend = activeBackend().name;
    this.#scheduler = new Scheduler({
      maxQueued,
      onCallbackError: (err) =>
        this.#logger.error('signature work callback threw', { err: String(err) }),
    });
    for (let i = 0; i < workers; i++) this.#slots.push(this.#spawn(undefined));
  }

  recover(datagram: Uint8Array, options: WorkOptions, done: (r: RecoverOutcome) => void): void {
    this.#submit(0, datagram, options, done as (o: JobOutcome) => void);
  }

  seal(unsigned: Uint8Array, options: WorkOptions, done: (r: SealOutcome) => void): void {
    this.#submit(1, unsigned, options, done as (o: JobOutcome) => void);
  }

  get stats(): SignatureStats {
    return {
      workers: this.#slots.filter((s) => !s.retired).length,
      queued: this.#scheduler.queued,
      inFlight: this.#scheduler.running,
      shed: this.#scheduler.shed,
      respawns: this.#respawns,
      inlineBatches: this.#inlineBatches,
    };
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#scheduler.failAll(new SignaturePoolError('CLOSED', 'signature pool closed'));
    await Promise.all(this.#slots.map((s) => stopWorker(s.worker)));
  }

  #submit(kind: 0 | 1, bytes: Uint8Array, options: WorkOptions, done: (o: JobOutcome) => void) {
    if (this.#closing !== undefined) {
      done({ ok: false, error: new SignaturePoolError('CLOSED', 'signature pool closed') });
      return;
    }
    const rank = WORK_CLASSES.indexOf(options.workClass);
    if (rank < 0) throw new TypeError(`workClass: expected a work class, got ${options.workClass}`);
    this.#scheduler.submit({
      kind,
      bytes,
      key: options.key,
      workClass: options.workClass,
      rank,
      state: 'queued',
      outcome: undefined,
      done,
    });
    if (!this.#pumpScheduled) {
      this.#pumpScheduled = true;
      // After the current I/O phase: datagrams read in one poll go out in one batch.
      setImmediate(() => this.#pump());
    }
  }

  /**
   * Posts batches to every ready worker with room, while work is queued. With no worker ready
   * (starting, being replaced, or all given up) one batch runs inline on this thread per turn,
   * so work never waits for a worker to start and never hangs.
   */
  #pump(): void {
    this.#pumpScheduled = false;
    if (this.#closing !== undefined) return;
    const ready = this.#slots.filter((s) => s.ready && !s.retired);
    if (ready.length === 0) {
      const jobs = this.#scheduler.take(this.#batchSize);
      if (jobs.length > 0) {
        this.#inlineBatches++;
        this.#complete(jobs, runBatch(packBatch(this.#nextBatch++, jobs), this.#privateKey));
      }
      this.#schedulePump();
      return;
    }
    // The least loaded worker first: taking the workers in a fixed order gave the first one
    // every small batch under a light load, and left the second idle two thirds of the time
    // (profiled on a FindNode flood with 2 workers).
    while (this.#scheduler.queued > 0) {
      let slot: Slot | undefined;
      for (const s of ready) {
        if (s.inFlight.size >= BATCHES_PER_WORKER) continue;
        if (slot === undefined || s.inFlight.size < slot.inFlight.size) slot = s;
      }
      if (slot === undefined) break;
      const jobs = this.#scheduler.take(this.#batchSize);
      if (jobs.length === 0) break;
      const request = packBatch(this.#nextBatch++, jobs);
      slot.inFlight.set(request.id, jobs);
      slot.worker.postMessage(request, [request.meta, request.data]);
    }
  }

  #spawn(previous: Slot | undefined): Slot {
    const worker = new Worker(this.#url, {
      workerData: { privateKey: this.#privateKey, nice: this.#nice },
      env: { ...process.env, ETHP2P_CRYPTO: this.#backend },
      execArgv: builtWorkerExecArgv(),
    });
    worker.unref();
    const slot: Slot = previous ?? {
      worker,
      inFlight: new Map(),
      ready: false,
      startFailures: 0,
      retired: false,
    };
    slot.worker = worker;
    slot.ready = false;
    worker.on('message', (msg: BatchReply | ReadyMessage) => this.#onMessage(slot, msg));
    worker.on('error', (err) =>
      this.#logger.error('signature worker failed', { err: String(err) }),
    );
    worker.on('exit', (code) => this.#onExit(slot, worker, code));
    return slot;
  }

  #onMessage(slot: Slot, msg: BatchReply | ReadyMessage): void {
    if ('ready' in msg) {
      slot.ready = true;
      slot.startFailures = 0;
      this.backends.push(msg.ready);
      if (msg.priority !== undefined) this.priorities.push(msg.priority);
      this.#schedulePump();
      return;
    }
    const jobs = slot.inFlight.get(msg.id);
    if (jobs === undefined) return;
    slot.inFlight.delete(msg.id);
    this.#complete(jobs, msg);
    this.#schedulePump();
  }

  /** Hands each job of a batch its result from `reply`. */
  #complete(jobs: readonly Job[], reply: BatchReply): void {
    const status = new Uint8Array(reply.status);
    const keys = new Uint8Array(reply.keys);
    let at = 0;
    for (const [i, job] of jobs.entries()) {
      this.#scheduler.finish(job, outcome(job, status[i] as number, keys, i, reply.data, at));
      at += job.bytes.length;
    }
  }

  #onExit(slot: Slot, worker: Worker, code: number): void {
    if (this.#closing !== undefined || slot.worker !== worker) return;
    const failed = [...slot.inFlight.values()].flat();
    slot.inFlight.clear();
    const error = new SignaturePoolError('WORKER_FAILED', `signature worker exited (${code})`);
    for (const job of failed) this.#scheduler.finish(job, { ok: false, error });
    if (!slot.ready && ++slot.startFailures >= MAX_START_FAILURES) {
      slot.retired = true;
      this.#logger.error('signature worker does not start; its work runs inline', { code });
    } else {
      this.#respawns++;
      this.#spawn(slot);
    }
    this.#schedulePump();
  }

  #schedulePump(): void {
    if (this.#pumpScheduled || this.#scheduler.queued === 0) return;
    this.#pumpScheduled = true;
    setImmediate(() => this.#pump());
  }
}

/**
 * Asks a worker to finish: it closes its port after the batches it has, and exits. A worker is
 * terminated only if it has not exited after {@link STOP_GRACE_MS}: terminating one in the middle
 * of a native crypto call aborts the whole process (node-addon-api throws into a dying
 * environment).
 */
async function stopWorker(worker: Worker): Promise<void> {
  if (worker.threadId === -1) return; // already exited
  const exited = once(worker, 'exit').then(() => true);
  worker.postMessage({ close: true } satisfies CloseMessage);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), STOP_GRACE_MS);
  });
  const done = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (!done) await worker.terminate();
}

/** How long a closing pool waits for a worker to exit by itself. */
const STOP_GRACE_MS = 5000;

function outcome(
  job: Job,
  status: number,
  keys: Uint8Array,
  i: number,
  data: ArrayBuffer,
  at: number,
): JobOutcome {
  if (job.kind === 1) {
    const bytes = new Uint8Array(data, at, job.bytes.length);
    return { ok: true, bytes, hash: bytes.slice(0, HASH_BYTES) };
  }
  if (status !== JOB_STATUS.OK) {
    const error = new WireError('BAD_SIGNATURE', 'cannot recover the sender from the signature');
    return { ok: false, error };
  }
  return { ok: true, publicKey: keys.slice(i * KEY_BYTES, (i + 1) * KEY_BYTES) };
}

/**
 * The built worker script next to this module; from the sources (tests run them through the
 * `@ethp2p/source` condition, and Node 20 cannot run TypeScript in a worker), the one in dist/.
 */
function builtWorkerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('../../dist/pool/signature-worker.js', here);
  return new URL('./signature-worker.js', here);
}
