/**
 * `ShardSet`: the coordinator's side of the shard workers. It starts one worker per shard, with a
 * channel between every two shards (they exchange datagrams after each window directly, see
 * `shard-runner.ts`), and tells them how far to run ({@link ShardSet.run}). A worker that throws or
 * exits fails every pending and later call with `SHARD_FAILED`; {@link ShardSet.close} stops the
 * workers, also mid-window.
 * @module
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { builtWorkerExecArgv } from '@ethp2p/base';
import { SimError } from './errors.ts';
import type { SimOptions } from './options.ts';
import type {
  FromShard,
  LookupRequest,
  RanMessage,
  SampledMessage,
  ShardInit,
  ToShard,
} from './shard-protocol.ts';

/** How long a closing shard may take to stop its nodes and exit before it is terminated. */
const CLOSE_GRACE_MS = 60_000;

/**
 * The young generation of each shard's heap: 384 MiB, semi-spaces of 128 MiB (V8's default
 * tops out at 16 or 32 MiB). A simulated datagram leaves some 25 KB of short-lived objects and a
 * shard keeps many requests and timers alive across instants, so each scavenge copies about the
 * same survivors however rarely it runs: fewer, larger ones cost less. On 800 nodes for 20 virtual
 * seconds on one thread, the collector took 10.3 s with 16 MiB semi-spaces, 6.4 s with 32 and
 * 3.0 s with 128.
 */
export const SHARD_YOUNG_GENERATION_MB = 384;

/** Options of {@link ShardSet.start}. */
export interface ShardSetOptions {
  /** The worker script. Default: the built `shard-worker.js` of this package. */
  readonly workerUrl?: URL;
}

/** What a run adds: lookups to start, or to abandon, at once. */
export interface RunExtras {
  /** Per shard: the lookups it starts at the first window's start. */
  readonly lookups?: readonly (readonly LookupRequest[])[];
  readonly abortLookups?: boolean;
}

interface Pending {
  readonly resolve: (m: FromShard) => void;
  readonly reject: (err: Error) => void;
}

/** The shard workers of one run. Owned by the thread that started it. */
export class ShardSet {
  /** Node IDs by node index, from the shards' `ready` messages. */
  readonly ids: Uint8Array[];
  readonly #workers: Worker[];
  readonly #pending: (Pending | undefined)[];
  readonly #exits: Promise<number>[];
  #failure: SimError | undefined;
  #closing: Promise<number[]> | undefined;

  private constructor(workers: Worker[], nodes: number) {
    this.#workers = workers;
    this.ids = new Array<Uint8Array>(nodes);
    this.#pending = workers.map(() => undefined);
    this.#exits = workers.map((worker, shard) => {
      worker.on('message', (m: FromShard) => this.#onMessage(shard, m));
      worker.on('error', (err) =>
        this.#fail(
          new SimError('SHARD_FAILED', `shard ${shard} failed: ${err.message}`, { cause: err }),
        ),
      );
      return new Promise<number>((resolve) => {
        worker.on('exit', (code) => {
          if (this.#closing === undefined) {
            this.#fail(new SimError('SHARD_FAILED', `shard ${shard} exited with code ${code}`));
          }
          resolve(code);
        });
      });
    });
  }

  /**
   * Starts one worker per shard (`options.workers`) and waits until every shard is built.
   * @throws {SimError} `WORKER_MISSING` when the script is not built, `SHARD_FAILED` when a
   *   shard fails to build
   */
  static async start(
    options: SimOptions,
    startMs: number,
    { workerUrl = builtWorkerUrl() }: ShardSetOptions = {},
  ): Promise<ShardSet> {
    if (!existsSync(fileURLToPath(workerUrl))) {
      throw new SimError(
        'WORKER_MISSING',
        `shard worker ${fileURLToPath(workerUrl)} is missing: run pnpm build first`,
      );
    }
    const peers = channels(options.workers);
    const workers: Worker[] = [];
    for (let shard = 0; shard < options.workers; shard++) {
      const own = peers[shard] as (MessagePort | null)[];
      const init: ShardInit = { options, shard, startMs, peers: own };
      const transferList = own.filter((p): p is MessagePort => p !== null);
      workers.push(
        new Worker(workerUrl, {
          workerData: init,
          transferList,
          execArgv: builtWorkerExecArgv(),
          resourceLimits: { maxYoungGenerationSizeMb: SHARD_YOUNG_GENERATION_MB },
        }),
      );
    }
    const set = new ShardSet(workers, options.nodes);
    try {
      const ready = await Promise.all(workers.map((_, shard) => set.#expect(shard)));
      for (const [shard, m] of ready.entries()) {
        if (m.kind !== 'ready')
          throw new SimError('SHARD_FAILED', `shard ${shard}: expected ready`);
        const ids = new Uint8Array(m.ids);
        for (let i = 0; i * 32 < ids.length; i++) {
          set.ids[shard + i * options.workers] = ids.subarray(i * 32, (i + 1) * 32);
        }
      }
    } catch (err) {
      await set.close();
      throw err;
    }
    return set;
  }

  /** Shards in the set. */
  get size(): number {
    return this.#workers.length;
  }

  /**
   * Each worker's event-loop utilization since it started: the share of its time spent running
   * (the rest it waited for the next window).
   */
  utilization(): number[] {
    return this.#workers.map((w) => w.performance.eventLoopUtilization().utilization);
  }

  /**
   * Runs every shard until every event before `untilMs` has run; with `extras` (lookups to start
   * or abandon), the first window starts at once. Resolves with every shard's answer, by shard.
   * @throws {SimError} `SHARD_FAILED` or `CLOSED`
   */
  async run(untilMs: number, extras?: RunExtras): Promise<RanMessage[]> {
    const replies = await Promise.all(
      this.#workers.map((_, shard) =>
        this.#request(shard, {
          kind: 'run',
          untilMs,
          startNow: extras !== undefined,
          lookups: extras?.lookups?.[shard] ?? [],
          abortLookups: extras?.abortLookups === true,
        }),
      ),
    );
    return replies as RanMessage[];
  }

  /**
   * The tables of every shard now.
   * @throws {SimError} `SHARD_FAILED` or `CLOSED`
   */
  async sample(): Promise<SampledMessage[]> {
    const replies = await Promise.all(
      this.#workers.map((_, shard) => this.#request(shard, { kind: 'sample' })),
    );
    return replies as SampledMessage[];
  }

  /**
   * Asks every shard to stop its nodes and exit (one in the middle of a window ends it first),
   * fails pending calls with `CLOSED`, and resolves with the exit codes. A shard still running
   * after a grace period is terminated. Safe to call twice.
   */
  close(): Promise<number[]> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<number[]> {
    this.#rejectAll(new SimError('CLOSED', 'simulation shards closed'));
    return Promise.all(
      this.#workers.map(async (worker, shard) => {
        const exit = this.#exits[shard] as Promise<number>;
        if (worker.threadId !== -1) worker.postMessage({ kind: 'close' } satisfies ToShard);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), CLOSE_GRACE_MS);
        });
        const code = await Promise.race([exit, late]);
        clearTimeout(timer);
        if (code !== undefined) return code;
        await worker.terminate();
        return exit;
      }),
    );
  }

  #request(shard: number, message: ToShard): Promise<FromShard> {
    const reply = this.#expect(shard);
    if (this.#failure === undefined && this.#closing === undefined) {
      (this.#workers[shard] as Worker).postMessage(message);
    }
    return reply;
  }

  /** The next message of `shard`. */
  #expect(shard: number): Promise<FromShard> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#closing !== undefined) {
      return Promise.reject(new SimError('CLOSED', 'simulation shards closed'));
    }
    return new Promise<FromShard>((resolve, reject) => {
      this.#pending[shard] = { resolve, reject };
    });
  }

  #onMessage(shard: number, m: FromShard): void {
    const pending = this.#pending[shard];
    this.#pending[shard] = undefined;
    pending?.resolve(m);
  }

  #fail(err: SimError): void {
    this.#failure ??= err;
    this.#rejectAll(this.#failure);
  }

  #rejectAll(err: SimError): void {
    for (const [shard, pending] of this.#pending.entries()) {
      this.#pending[shard] = undefined;
      pending?.reject(err);
    }
  }
}

/** By shard, by shard: one end of a channel between every two shards (null on the diagonal). */
function channels(workers: number): (MessagePort | null)[][] {
  const ports = Array.from({ length: workers }, () =>
    Array.from<MessagePort | null>({ length: workers }).fill(null),
  );
  for (let a = 0; a < workers; a++) {
    for (let b = a + 1; b < workers; b++) {
      const { port1, port2 } = new MessageChannel();
      (ports[a] as (MessagePort | null)[])[b] = port1;
      (ports[b] as (MessagePort | null)[])[a] = port2;
    }
  }
  return ports;
}

/**
 * The built worker script next to this module; from the sources (Node 20 cannot run TypeScript
 * in a worker), the one in dist/.
 */
function builtWorkerUrl(): URL {
  const here = import.meta.url;
  return new URL(
    here.endsWith('.ts') ? '../../dist/sim/shard-worker.js' : './shard-worker.js',
    here,
  );
}
