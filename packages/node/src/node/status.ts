/**
 * The periodic status line: the chain's head (and, while syncing, the target and blocks/s), peers
 * in and out by client name, the discovery table's size, dials and the bytes on the wire; the
 * JSON form also carries the last dial error.
 * `head 600 (0x1a2b3c4d…) peers 3 (in 1, out 2) [Geth 2, ethp2p 1] table 57 dials 12 ok 3 traffic in 1.2 MB out 0.8 MB`
 * @module
 */
import { type Clock, checkPositiveInt, type Timer } from '@ethp2p/base';
import { bytesToHex } from '@ethp2p/crypto';

/** Default time between two status reports: 10 s. */
export const STATUS_INTERVAL_MS = 10_000;

/** The chain's head in {@link NodeStatus}. */
export interface StatusHead {
  readonly number: bigint;
  readonly hash: Uint8Array;
}

/** Sync progress in {@link NodeStatus}. */
export interface StatusSync {
  /** The head number being synced to; undefined between rounds. */
  readonly target: bigint | undefined;
  /** Blocks imported per second since the previous status. */
  readonly blocksPerSecond: number;
}

/** A snapshot of the node for the status line. */
export interface NodeStatus {
  /** The chain's head (the node always gives it). */
  readonly head?: StatusHead | undefined;
  /** Sync progress while the node syncs or imported blocks since the previous status. */
  readonly sync?: StatusSync | undefined;
  /** Connected peers. */
  readonly peers: number;
  /** Peers that dialed us. */
  readonly inbound: number;
  /** Peers we dialed. */
  readonly outbound: number;
  /** Peers by client name (the part of the Hello name before the first `/`), most first. */
  readonly clients: readonly (readonly [name: string, count: number])[];
  /** Nodes in the discovery table; undefined when discovery is off. */
  readonly table: number | undefined;
  /** Dial attempts so far. */
  readonly dials: number;
  /** Dials that became peers. */
  readonly dialsSucceeded: number;
  /**
   * Bytes read from peer connections, RLPx handshake included: the server's counter
   * (`Server.metrics.ingressBytes`, Prometheus `p2p_ingress`).
   */
  readonly bytesIn: number;
  /** Bytes written to peer connections (`p2p_egress`). */
  readonly bytesOut: number;
  /** The last dial that did not end with a peer, if any: why a node lacks peers. */
  readonly lastDialError?: LastDialError | undefined;
  /**
   * Node database writes that failed (a full disk) since the start; the node runs on without
   * saving them. Shown in the status line when not 0.
   */
  readonly dbWriteFailures?: number | undefined;
}

/** A failed dial in {@link NodeStatus}. */
export interface LastDialError {
  /** The enode URL dialed. */
  readonly node: string;
  /** The error's message. */
  readonly error: string;
}

/**
 * The client name of a Hello name: `Geth/v1.14.0-stable/linux-amd64/go1.22` → `Geth`
 * (`unknown` when empty).
 */
export function clientName(helloName: string): string {
  const name = helloName.split('/', 1)[0]?.trim() ?? '';
  return name.length === 0 ? 'unknown' : name.slice(0, 32);
}

/** Counts peers by client name, most first, then by name. */
export function countClients(names: Iterable<string>): [string, number][] {
  const counts = new Map<string, number>();
  for (const n of names) {
    const name = clientName(n);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** A byte count in decimal units with one decimal: `0 B`, `512 B`, `1.2 kB`, `3.4 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** The status line of a snapshot. */
export function formatStatusLine(s: NodeStatus): string {
  const clients = s.clients.map(([name, n]) => `${name} ${n}`).join(', ');
  return [
    ...(s.head === undefined ? [] : [headText(s.head, s.sync)]),
    `peers ${s.peers} (in ${s.inbound}, out ${s.outbound})`,
    ...(clients.length > 0 ? [`[${clients}]`] : []),
    `table ${s.table ?? 'off'}`,
    `dials ${s.dials} ok ${s.dialsSucceeded}`,
    `traffic in ${formatBytes(s.bytesIn)} out ${formatBytes(s.bytesOut)}`,
    ...((s.dbWriteFailures ?? 0) > 0 ? [`db write failures ${s.dbWriteFailures}`] : []),
  ].join(' ');
}

function headText(head: StatusHead, sync: StatusSync | undefined): string {
  const text = `head ${head.number} (0x${bytesToHex(head.hash.subarray(0, 4))}…)`;
  if (sync === undefined) return text;
  const target = sync.target === undefined ? '' : ` syncing to ${sync.target}`;
  return `${text}${target} ${sync.blocksPerSecond.toFixed(0)} blocks/s`;
}

/** The status as log fields, for the JSON log format. */
export function statusFields(s: NodeStatus): Record<string, unknown> {
  return {
    ...(s.head === undefined
      ? {}
      : { head: { number: jsonNumber(s.head.number), hash: `0x${bytesToHex(s.head.hash)}` } }),
    ...(s.sync === undefined
      ? {}
      : {
          sync: {
            target: s.sync.target === undefined ? null : jsonNumber(s.sync.target),
            blocksPerSecond: Math.round(s.sync.blocksPerSecond * 10) / 10,
          },
        }),
    peers: s.peers,
    inbound: s.inbound,
    outbound: s.outbound,
    clients: Object.fromEntries(s.clients),
    table: s.table ?? null,
    dials: s.dials,
    dialsSucceeded: s.dialsSucceeded,
    bytesIn: s.bytesIn,
    bytesOut: s.bytesOut,
    lastDialError: s.lastDialError ?? null,
    dbWriteFailures: s.dbWriteFailures ?? 0,
  };
}

function jsonNumber(v: bigint): number | string {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/**
 * Calls `report` every `intervalMs` on `clock` until stopped; one timer at a time, none after
 * {@link StatusTicker.stop}. A throwing `report` does not stop the ticker.
 */
export class StatusTicker {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #report: () => void;
  #timer: Timer | undefined;
  #stopped = false;

  /** @throws {RangeError} unless `intervalMs` is a positive integer */
  constructor(clock: Clock, intervalMs: number, report: () => void) {
    this.#clock = clock;
    this.#intervalMs = checkPositiveInt('intervalMs', intervalMs);
    this.#report = report;
  }

  /** Schedules the first report one interval from now. */
  start(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    this.#schedule();
  }

  /** Cancels the pending report. Idempotent. */
  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #schedule(): void {
    this.#timer = this.#clock.schedule(this.#intervalMs, () => {
      this.#timer = undefined;
      if (this.#stopped) return;
      try {
        this.#report();
      } catch {
        // The reporter logs its own failures; the next report still comes.
      }
      if (!this.#stopped) this.#schedule();
    });
  }
}
