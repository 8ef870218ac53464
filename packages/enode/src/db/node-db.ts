/**
 * The node database: what this node remembers about others across restarts (records, last ping
 * and pong per endpoint, findnode failures) plus the local record's seq, with go-ethereum's
 * semantics (`p2p/enode/nodedb.go`). Key layout: see `keys.ts`.
 * @module
 */

import {
  type Clock,
  defaultLogger,
  type Logger,
  type Random,
  systemClock,
  systemRandom,
  TaskGroup,
} from '@ethp2p/base';
import { assertBytes, bytesToHex, equalBytes } from '@ethp2p/crypto';
import { Node } from '../node.ts';
import type { LevelBackend } from './backend.ts';
import {
  BAN_PREFIX,
  type BanTarget,
  banKey,
  decodeBan,
  encodeBanValue,
  type StoredBan,
} from './bans.ts';
import { DB_CLEANUP_CYCLE_MS } from './constants.ts';
import { EndpointTimes, endpointHex, type TimeField } from './endpoint-times.ts';
import { NodeDatabaseError } from './errors.ts';
import { expireNodes } from './expire.ts';
import { PeriodicTask } from './expirer.ts';
import {
  type IpAddress,
  itemKey,
  readInt,
  readTimeMs,
  readUint,
  secondsToMs,
  writeInt,
} from './fields.ts';
import { ipTo16, ZERO_IP } from './ip.ts';
import {
  FIELD,
  LOCAL_PREFIX,
  localItemKey,
  nodeIdPrefix,
  nodeItemKey,
  nodeKey,
  prefixRange,
  splitNodeKey,
} from './keys.ts';
import { describe, ensureVersion, type Level, openStore } from './open.ts';
import { sampleNodes } from './seeds.ts';
import { type EndpointKey, UnbondedEndpoints } from './unbonded.ts';
import { encodeUvarint } from './varint.ts';
import { WriteFailures } from './write-failures.ts';

/** Options for {@link NodeDatabase.open}. */
export interface NodeDatabaseOptions {
  /** Directory of the LevelDB store. Omitted: an in-memory store (nothing persisted). */
  path?: string;
  /** Time source for stored timestamps and the expirer's timer. Default: the system clock. */
  clock?: Clock;
  /** Randomness for {@link NodeDatabase.querySeeds}. Default: the OS CSPRNG. */
  random?: Random;
  /** Receives corruption and version-flush warnings. Default: stderr for warnings. */
  logger?: Logger;
  /**
   * Creates and repairs the on-disk store at `path` (default `classic-level`). For tests that
   * make the store fail as a full or read-only disk would.
   */
  backend?: LevelBackend;
}

/** Options for {@link NodeDatabase.querySeeds}. */
export interface QuerySeedsOptions {
  /** A node ID never to return, normally the local node's. */
  exclude?: Uint8Array;
}

/**
 * The node database. Open it with {@link NodeDatabase.open}; one instance owns its store, and a
 * persistent store is usable by one process at a time.
 *
 * Times are taken and returned as Unix milliseconds (`Clock.now()` values) but stored as whole
 * Unix seconds like go-ethereum, so a value reads back rounded down to the second; a missing or
 * unreadable value reads as 0. Per-endpoint fields are keyed by (node ID, IP), the IP in its
 * 16-byte form (IPv4 as `::ffff:a.b.c.d`).
 *
 * Concurrency: methods may be called concurrently. Field reads and writes are single LevelDB
 * operations; {@link updateNode} reads the stored seq before writing, so record writes go through
 * one queue, in call order, and a lower seq never overwrites a higher one.
 * Writes are best effort, as in go-ethereum (whose callers ignore the node database's write
 * errors): a write the store fails (a full disk) is counted in {@link writeFailures} and logged at
 * most once a minute, and its call resolves, so the node keeps serving from memory.
 * The expirer ({@link NODE_EXPIRATION_MS}, every {@link DB_CLEANUP_CYCLE_MS}) starts on the first
 * successful {@link updateLastPongReceived}. After {@link close} every method rejects with
 * `NodeDatabaseError` code `CLOSED`.
 *
 * @example
 * ```ts
 * const db = await NodeDatabase.open({ path: `${datadir}/nodes` });
 * await db.updateLastPongReceived(node.id, node.ip, Date.now());
 * const seeds = await db.querySeeds(30, 5 * 24 * 3600_000, { exclude: self.id });
 * await db.close();
 * ```
 */
export class NodeDatabase {
  /** The store's directory, or `undefined` for an in-memory database. */
  readonly path: string | undefined;
  readonly #db: Level;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #logger: Logger;
  readonly #expirer: PeriodicTask;
  readonly #writeFailures: WriteFailures;
  /** Endpoints that pinged and never ponged, bounded (see `unbonded.ts`). */
  readonly #unbonded = new UnbondedEndpoints();
  /** The stored ping and pong times of recently used endpoints (see `endpoint-times.ts`). */
  readonly #times = new EndpointTimes();
  /** The calls in progress, which `close()` waits for; their errors go to their callers. */
  readonly #calls = new TaskGroup();
  /** The tail of the record-write queue (see {@link updateNode}). */
  #recordWrites: Promise<void> = Promise.resolve();
  #closing: Promise<void> | undefined;

  private constructor(db: Level, path: string | undefined, opts: NodeDatabaseOptions) {
    this.path = path;
    this.#db = db;
    this.#clock = opts.clock ?? systemClock;
    this.#random = opts.random ?? systemRandom;
    this.#logger = opts.logger ?? defaultLogger;
    this.#writeFailures = new WriteFailures(this.#clock, this.#logger, path);
    this.#expirer = new PeriodicTask({
      clock: this.#clock,
      intervalMs: DB_CLEANUP_CYCLE_MS,
      logger: this.#logger,
      name: 'node database expirer',
      run: () => this.#expire(),
    });
  }

  /**
   * Opens (creating if needed) the database at `options.path`, or an in-memory one. A corrupt
   * store is moved aside intact (`<path>.corrupt-<UTC time>`) and a repaired copy of it, or an
   * empty store, takes its place, with a warning; a store of another schema version is flushed.
   * @throws NodeDatabaseError `LOCKED` if another process has the path open; `OPEN_FAILED` if it
   * cannot be opened for a reason other than corruption (no space left, permission denied, a
   * read-only file system, ...), in which case nothing at `path` was changed.
   */
  static async open(options: NodeDatabaseOptions = {}): Promise<NodeDatabase> {
    const logger = options.logger ?? defaultLogger;
    const db = await openStore(options.path, logger, {
      ...(options.backend === undefined ? {} : { backend: options.backend }),
      nowMs: (options.clock ?? systemClock).now(),
    });
    try {
      await ensureVersion(db, options.path, logger);
    } catch (err) {
      await db.close().catch(() => undefined);
      throw new NodeDatabaseError('OPEN_FAILED', 'node database: cannot write version', {
        cause: err,
      });
    }
    return new NodeDatabase(db, options.path, options);
  }

  /** When a ping from (`id`, `ip`) was last received, in Unix ms (0 if never). */
  async lastPingReceived(id: Uint8Array, ip: IpAddress): Promise<number> {
    return this.#readTime(id, ip, 'ping');
  }

  /**
   * Records that a ping from (`id`, `ip`) was received at `timeMs` (stored in seconds). A ping in
   * the second already stored for the endpoint writes nothing.
   */
  async updateLastPingReceived(id: Uint8Array, ip: IpAddress, timeMs: number): Promise<void> {
    const { key, ip16, seconds } = this.#timeWrite(id, ip, timeMs);
    this.#checkOpen();
    const evicted = this.#unbonded.pinged(key);
    // The common case under a stream of Pings: nothing to store, nothing evicted, so no
    // operation to start (a busy node records thousands of Pings a second).
    if (evicted.length === 0 && this.#times.get(key, 'ping') === seconds) return;
    return this.#write('lastping', async () => {
      if (this.#times.get(key, 'ping') !== seconds) {
        this.#times.set(key, 'ping', seconds);
        await writeInt(this.#db, nodeItemKey(id, ip16, FIELD.lastPing), seconds);
      }
      for (const old of evicted) await this.#forgetUnbonded(old);
    });
  }

  /** When a pong from (`id`, `ip`) was last received, in Unix ms (0 if never): the bond. */
  async lastPongReceived(id: Uint8Array, ip: IpAddress): Promise<number> {
    return this.#readTime(id, ip, 'pong');
  }

  /**
   * Records that a pong from (`id`, `ip`) was received at `timeMs` (stored in seconds). The first
   * successful call starts the expirer.
   */
  async updateLastPongReceived(id: Uint8Array, ip: IpAddress, timeMs: number): Promise<void> {
    const { key, ip16, seconds } = this.#timeWrite(id, ip, timeMs);
    return this.#write('lastpong', async () => {
      this.#unbonded.ponged(key);
      if (this.#times.get(key, 'pong') !== seconds) {
        this.#times.set(key, 'pong', seconds);
        await writeInt(this.#db, nodeItemKey(id, ip16, FIELD.lastPong), seconds);
      }
      if (this.#closing === undefined) this.#expirer.start();
    });
  }

  /**
   * A ping or pong time in Unix ms (0 if none), from {@link EndpointTimes} when it knows the
   * stored value, else read from the store and remembered.
   */
  async #readTime(id: Uint8Array, ip: IpAddress, field: TimeField): Promise<number> {
    assertBytes('id', id, 32);
    const ip16 = ipTo16(ip);
    const key = endpointHex(id, ip16);
    const known = this.#times.get(key, field);
    if (known !== undefined) {
      this.#checkOpen();
      return secondsToMs(known);
    }
    const epoch = this.#times.epoch;
    return this.#op(async () => {
      const dbField = field === 'ping' ? FIELD.lastPing : FIELD.lastPong;
      const seconds = await readInt(this.#db, nodeItemKey(id, ip16, dbField));
      this.#times.setRead(key, field, seconds, epoch);
      return secondsToMs(seconds);
    });
  }

  /** The checked arguments of a ping or pong write: the endpoint and whole Unix seconds. */
  #timeWrite(
    id: Uint8Array,
    ip: IpAddress,
    timeMs: number,
  ): { key: string; ip16: Uint8Array; seconds: number } {
    assertBytes('id', id, 32);
    if (!Number.isFinite(timeMs)) {
      throw new RangeError(`timeMs: expected a finite number, got ${timeMs}`);
    }
    const ip16 = ipTo16(ip);
    return { key: endpointHex(id, ip16), ip16, seconds: Math.floor(timeMs / 1000) };
  }

  /** Deletes the fields of an endpoint evicted from the unbonded bound, unless it has a pong. */
  async #forgetUnbonded({ id, ip16 }: EndpointKey): Promise<void> {
    if ((await this.#db.get(nodeItemKey(id, ip16, FIELD.lastPong))) !== undefined) return;
    this.#times.forget(endpointHex(id, ip16));
    await this.#db.clear(prefixRange(nodeItemKey(id, ip16, '')));
  }

  /** Consecutive findnode failures of (`id`, `ip`) (0 if none recorded). */
  async findFails(id: Uint8Array, ip: IpAddress): Promise<number> {
    return this.#op(() => readInt(this.#db, itemKey(id, ip, FIELD.findFails)));
  }

  /** Sets the findnode failure count of (`id`, `ip`). */
  async updateFindFails(id: Uint8Array, ip: IpAddress, fails: number): Promise<void> {
    if (!Number.isSafeInteger(fails)) {
      throw new RangeError(`fails: expected an integer, got ${fails}`);
    }
    return this.#write('findfails', () =>
      writeInt(this.#db, itemKey(id, ip, FIELD.findFails), fails),
    );
  }

  /** The stored seq of the local node `id`'s own record (0n if none). */
  async localSeq(id: Uint8Array): Promise<bigint> {
    assertBytes('id', id, 32);
    return this.#op(() => readUint(this.#db, localItemKey(id, FIELD.seq)));
  }

  /** Stores the seq of the local node `id`'s own record (0 ≤ seq < 2^64). */
  async storeLocalSeq(id: Uint8Array, seq: bigint): Promise<void> {
    assertBytes('id', id, 32);
    const value = encodeUvarint(seq);
    return this.#write('local seq', () => this.#db.put(localItemKey(id, FIELD.seq), value));
  }

  /**
   * Stores `node`'s record (`node.toStorage()`) and seq in one atomic write, unless a record with
   * a higher seq is already stored (go-ethereum `UpdateNode`).
   */
  async updateNode(node: Node): Promise<void> {
    return this.#write('record', () => {
      const write = this.#recordWrites.then(() => this.#writeRecord(node));
      this.#recordWrites = write.catch(() => undefined);
      return write;
    });
  }

  async #writeRecord(node: Node): Promise<void> {
    if (node.seq < (await readUint(this.#db, nodeItemKey(node.id, ZERO_IP, FIELD.seq)))) return;
    await this.#db.batch([
      { type: 'put', key: nodeKey(node.id), value: node.toStorage() },
      {
        type: 'put',
        key: nodeItemKey(node.id, ZERO_IP, FIELD.seq),
        value: encodeUvarint(node.seq),
      },
    ]);
  }

  /** The stored node `id`, or `undefined`. A record that fails to decode is deleted. */
  async node(id: Uint8Array): Promise<Node | undefined> {
    assertBytes('id', id, 32);
    return this.#op(async () => {
      const key = nodeKey(id);
      const value = await this.#db.get(key);
      return value === undefined ? undefined : this.#decodeRecord(key, value);
    });
  }

  /** Deletes everything stored about node `id`: its record and all per-IP fields. */
  async deleteNode(id: Uint8Array): Promise<void> {
    assertBytes('id', id, 32);
    this.#times.forgetNode(bytesToHex(id));
    return this.#op(() => this.#db.clear(prefixRange(nodeIdPrefix(id))));
  }

  /**
   * Up to `n` distinct stored nodes whose last pong, for the IP in their record, is at most
   * `maxAgeMs` old, sampled by random seeks like go-ethereum `QuerySeeds` (at most `5n` seeks, so
   * fewer may come back even when more qualify). Nodes without an IP or without a pong never
   * qualify. The local node is never returned: neither `options.exclude` nor any node whose local
   * seq is stored here (the identity that owns this database).
   */
  async querySeeds(n: number, maxAgeMs: number, options: QuerySeedsOptions = {}): Promise<Node[]> {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`n: expected a non-negative integer, got ${n}`);
    }
    const now = this.#clock.now();
    return this.#op(async () => {
      const local = await this.#localIds();
      return sampleNodes(this.#db, {
        n,
        random: this.#random,
        exclude: options.exclude,
        decode: (key, value) => this.#decodeRecord(key, value),
        accept: async (node) => {
          if (node.ip === undefined) return false;
          if (local.has(bytesToHex(node.id))) return false;
          const pong = await readTimeMs(this.#db, itemKey(node.id, node.ip, FIELD.lastPong));
          return pong > 0 && now - pong <= maxAgeMs;
        },
      });
    });
  }

  /** IDs (hex) of the local identities whose seq is stored here; few, read once per query. */
  async #localIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    for await (const key of this.#db.keys(prefixRange(LOCAL_PREFIX))) {
      const id = key.subarray(LOCAL_PREFIX.length, LOCAL_PREFIX.length + 32);
      if (id.length === 32) ids.add(bytesToHex(id));
    }
    return ids;
  }

  /**
   * Stores a ban of `target` (a node ID or an IP) until `untilMs` (Unix ms), replacing any ban
   * of the same target. Best effort like every write. `reason` is kept (cut to 256 bytes).
   * @throws {RangeError} if `untilMs` is not a non-negative safe integer or an ID is not 32
   *   bytes; {TypeError} if an IP is not an address
   */
  async storeBan(target: BanTarget, untilMs: number, reason = ''): Promise<void> {
    const key = banKey(target);
    const value = encodeBanValue(untilMs, reason);
    return this.#write('ban', () => this.#db.put(key, value));
  }

  /** Deletes the ban of `target`, if any (best effort). */
  async deleteBan(target: BanTarget): Promise<void> {
    const key = banKey(target);
    return this.#write('unban', () => this.#db.del(key));
  }

  /**
   * The bans still in force at the clock's now, in key order (ID bans, then IP bans). Expired
   * bans are purged, and a corrupt entry is ignored and deleted (logged at debug): neither is
   * an error.
   */
  async bans(): Promise<StoredBan[]> {
    const now = this.#clock.now();
    return this.#op(async () => {
      const live: StoredBan[] = [];
      const doomed: Uint8Array[] = [];
      for await (const [key, value] of this.#db.iterator(prefixRange(BAN_PREFIX))) {
        const ban = decodeBan(key, value);
        if (ban === undefined) {
          this.#logger.debug('dropping undecodable ban', { key: bytesToHex(key) });
          doomed.push(Uint8Array.from(key));
        } else if (ban.untilMs <= now) {
          doomed.push(Uint8Array.from(key));
        } else {
          live.push(ban);
        }
      }
      if (doomed.length > 0) {
        await this.#db
          .batch(doomed.map((key) => ({ type: 'del' as const, key })))
          .catch((err: unknown) => this.#writeFailures.record('ban purge', err));
      }
      return live;
    });
  }

  /** Resolves once no expiry pass is running. Mainly for tests driving a simulated clock. */
  idle(): Promise<void> {
    return this.#expirer.idle();
  }

  /**
   * Stops the expirer (waiting for a pass in progress), waits for pending calls and closes the
   * store. Idempotent: later calls return the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await this.#expirer.stop();
    await this.#calls.wait();
    await this.#db.close();
  }

  /**
   * Failed writes since the database was opened (a full disk, an I/O error). Writes are best
   * effort: a failed one is counted here, logged (the first, then at most once a minute with the
   * count of those not logged) and its call resolves, so the node keeps serving.
   */
  get writeFailures(): number {
    return this.#writeFailures.count;
  }

  /**
   * A best-effort write: a failure of the store is counted and logged, not thrown. `CLOSED` and
   * argument errors (`TypeError`, `RangeError`) still reject.
   */
  async #write(what: string, fn: () => Promise<void>): Promise<void> {
    return this.#op(async () => {
      try {
        await fn();
      } catch (err) {
        if (err instanceof TypeError || err instanceof RangeError) throw err;
        this.#writeFailures.record(what, err);
      }
    });
  }

  async #op<T>(fn: () => Promise<T>): Promise<T> {
    this.#checkOpen();
    return this.#calls.spawn(fn());
  }

  /** @throws NodeDatabaseError `CLOSED` once {@link close} was called */
  #checkOpen(): void {
    if (this.#closing !== undefined) throw new NodeDatabaseError('CLOSED', 'node database: closed');
  }

  /** Decodes a stored record; a bad one is deleted (record and seq) and reads as absent. */
  async #decodeRecord(key: Uint8Array, value: Uint8Array): Promise<Node | undefined> {
    const id = splitNodeKey(key)?.id ?? new Uint8Array(32);
    try {
      const node = Node.fromStorage(value);
      if (equalBytes(node.id, id)) return node;
      throw new Error(`record is for node ${bytesToHex(node.id)}`);
    } catch (err) {
      this.#logger.debug('dropping undecodable node record', {
        id: bytesToHex(id),
        error: describe(err),
      });
      await this.#db.batch([
        { type: 'del', key },
        { type: 'del', key: nodeItemKey(id, ZERO_IP, FIELD.seq) },
      ]);
      return undefined;
    }
  }

  async #expire(): Promise<void> {
    this.#times.clear();
    const removed = await expireNodes(this.#db, this.#clock.now());
    // Reads that ran during the sweep may have remembered what it then deleted.
    this.#times.clear();
    if (removed > 0) this.#logger.debug('expired stale nodes', { removed });
  }
}
