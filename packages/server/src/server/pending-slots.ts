/**
 * The pending slots: inbound connections admitted by the listener whose RLPx handshake and Hello
 * are not done yet, and the rules that keep a few hostile IPs from holding them all
 * (issue 15, "slowloris"): a cap per IP (loopback and LAN included, though the inbound
 * throttle exempts them), an idle-read timeout (bytes must keep arriving), and, when every slot
 * is taken, a new connection from an IP with no pending handshake displaces the most stalled
 * one instead of being refused.
 * @module
 */
import type { Clock, Timer } from '@ethp2p/base';

/** What a slot needs of its socket (a `net.Socket`): how much it has read, and a way to end it. */
export interface SlotSocket {
  readonly bytesRead: number;
  destroy(): void;
}

/** Options of {@link PendingSlots}. */
export interface PendingSlotsOptions {
  /** Most pending connections. */
  readonly maxPending: number;
  /** Most pending connections from one IP. */
  readonly maxPendingPerIp: number;
  /** A pending connection that reads nothing for this long is closed, in ms (default: never). */
  readonly idleTimeoutMs?: number;
  readonly clock: Clock;
}

interface Slot {
  readonly ip: string;
  /** `bytesRead` when progress was last seen. */
  lastBytes: number;
  /** When progress was last seen (admission counts as progress). */
  lastProgress: number;
  timer: Timer | undefined;
}

/** Why {@link PendingSlots.check} refuses a connection. */
export type SlotRefusal = 'pendingLimit' | 'ipPendingLimit';

/**
 * The pending slots of one listener. Synchronous; owned by the listener, which takes a slot
 * for each admitted socket and releases it once the socket's handshake is over.
 */
export class PendingSlots {
  readonly #options: PendingSlotsOptions;
  readonly #slots = new Map<SlotSocket, Slot>();
  readonly #perIp = new Map<string, number>();
  readonly #counts = { evicted: 0, idleTimeouts: 0 };

  constructor(options: PendingSlotsOptions) {
    this.#options = options;
  }

  /** How many slots are taken. */
  get size(): number {
    return this.#slots.size;
  }

  /**
   * What the rules did so far: pending connections displaced by a connection from a new IP
   * (`evicted`), and closed because they read nothing for the idle timeout (`idleTimeouts`).
   */
  counts(): { readonly evicted: number; readonly idleTimeouts: number } {
    return { ...this.#counts };
  }

  /**
   * Whether a connection from `ip` could take a slot now (possibly by displacing a stalled
   * one), without taking it.
   */
  check(ip: string): SlotRefusal | undefined {
    const fromIp = this.#perIp.get(ip) ?? 0;
    if (fromIp >= this.#options.maxPendingPerIp) return 'ipPendingLimit';
    if (this.#slots.size < this.#options.maxPending) return undefined;
    return fromIp === 0 && this.#stalled() !== undefined ? undefined : 'pendingLimit';
  }

  /**
   * Gives `socket` a slot, displacing the most stalled pending connection if every slot is
   * taken (call {@link PendingSlots.check} first). Its idle-read timer starts now.
   */
  take(socket: SlotSocket, ip: string): void {
    if (this.#slots.size >= this.#options.maxPending) {
      const victim = this.#stalled();
      if (victim !== undefined) {
        this.#counts.evicted++;
        this.release(victim);
        victim.destroy();
      }
    }
    const now = this.#options.clock.now();
    const slot: Slot = {
      ip,
      lastBytes: socket.bytesRead,
      lastProgress: now,
      timer: this.#watch(socket),
    };
    this.#slots.set(socket, slot);
    this.#perIp.set(ip, (this.#perIp.get(ip) ?? 0) + 1);
  }

  /** Frees the slot of `socket` (its handshake is over) and stops its timer. Idempotent. */
  release(socket: SlotSocket): void {
    const slot = this.#slots.get(socket);
    if (slot === undefined) return;
    slot.timer?.cancel();
    this.#slots.delete(socket);
    const left = (this.#perIp.get(slot.ip) ?? 1) - 1;
    if (left > 0) this.#perIp.set(slot.ip, left);
    else this.#perIp.delete(slot.ip);
  }

  /** Checks `socket` every idle timeout: closed if it read nothing since the last check. */
  #watch(socket: SlotSocket): Timer | undefined {
    const { idleTimeoutMs } = this.#options;
    if (idleTimeoutMs === undefined) return undefined;
    return this.#options.clock.schedule(idleTimeoutMs, () => {
      const slot = this.#slots.get(socket);
      if (slot === undefined) return;
      if (this.#progressed(socket, slot)) {
        slot.timer = this.#watch(socket);
        return;
      }
      this.#counts.idleTimeouts++;
      this.release(socket);
      socket.destroy();
    });
  }

  /** Records progress if `socket` read something since it was last seen; says whether it did. */
  #progressed(socket: SlotSocket, slot: Slot): boolean {
    if (socket.bytesRead === slot.lastBytes) return false;
    slot.lastBytes = socket.bytesRead;
    slot.lastProgress = this.#options.clock.now();
    return true;
  }

  /**
   * The stalled pending connection (nothing read since it was last seen) that has gone longest
   * without progress; undefined if every one is making progress.
   */
  #stalled(): SlotSocket | undefined {
    let victim: SlotSocket | undefined;
    let oldest = Number.POSITIVE_INFINITY;
    for (const [socket, slot] of this.#slots) {
      if (this.#progressed(socket, slot)) continue;
      if (slot.lastProgress < oldest) {
        oldest = slot.lastProgress;
        victim = socket;
      }
    }
    return victim;
  }
}
