/**
 * A closed-loop discv4 packet flooder for benchmarks: keeps a window of pre-signed packets in
 * flight to one target on loopback and counts the replies of one packet type. All signing happens
 * before the clock starts, so the flooder itself costs almost nothing while measuring.
 *
 * Replies are not matched to requests (a Neighbors does not name its FindNode), so a packet lost
 * on the way keeps its slot for the rest of the run and the window shrinks unseen. Three things
 * guard against that: the flooder's socket has a receive buffer large enough for a window of
 * replies (with the 208 KiB default, 36 of 128 Neighbors were dropped at every FindNode flood),
 * the window opens {@link RAMP} requests per event-loop turn instead of in one burst into the
 * target's buffer, and the result says how many requests were never answered.
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';

/** Byte offset of the packet type in a discv4 datagram (hash 32 ‖ signature 65 ‖ type). */
const TYPE_OFFSET = 97;

/** A UDP endpoint on loopback. */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** What one flood measured. */
export interface FloodResult {
  /** Replies of the expected type received while measuring. */
  readonly replies: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** CPU time of this whole process per reply (target and flooder together), in µs. */
  readonly cpuUsPerReply: number;
  /**
   * Requests sent over the whole flood (warm-up included) and never answered, counted after
   * waiting {@link DRAIN_MS} for late replies: each one shrank the window until the watchdog.
   */
  readonly unanswered: number;
}

/**
 * The flooder's receive buffer. A window of Neighbors replies (about 2 KiB each in kernel
 * accounting) does not fit the 208 KiB default; the kernel caps this at `net.core.rmem_max`.
 */
const FLOODER_RECV_BUFFER = 4 * 1024 * 1024;

/** Requests sent per event-loop turn while the window opens. */
const RAMP = 16;

/** How long a finished flood waits for the replies still on their way. */
const DRAIN_MS = 200;

/** How to flood. */
export interface FloodOptions {
  /** Packets to send, cycled through in order. */
  readonly packets: readonly Uint8Array[];
  /** The packet type whose arrivals count as processed requests (2 = Pong, 4 = Neighbors). */
  readonly replyType: number;
  /** Requests kept in flight. */
  readonly window: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

/** A bound loopback UDP socket, with a way to wait for datagrams. */
export async function bindFlooder(): Promise<Socket> {
  const socket = createSocket({ type: 'udp4', recvBufferSize: FLOODER_RECV_BUFFER });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return socket;
}

/**
 * Connects the flooder's socket to the target (once: a flooder floods one target): each send then
 * skips the address lookup Node does for an unconnected one, and only the target's datagrams are
 * received.
 */
async function connectTo(socket: Socket, target: Endpoint): Promise<void> {
  let remote: { address: string; port: number } | undefined;
  try {
    remote = socket.remoteAddress();
  } catch {
    remote = undefined; // not connected yet
  }
  if (remote !== undefined) {
    if (remote.address !== target.address || remote.port !== target.port) {
      throw new Error(`flooder already connected to ${remote.address}:${remote.port}`);
    }
    return;
  }
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(target.port, target.address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

/**
 * Floods `target` from `socket` and measures replies per second. Lost packets are made up for: when
 * no reply arrives for a tick, the window is refilled.
 */
export async function flood(
  socket: Socket,
  target: Endpoint,
  options: FloodOptions,
): Promise<FloodResult> {
  let next = 0;
  let inflight = 0;
  let replies = 0;
  let opened = 0;
  let stopped = false;
  await connectTo(socket, target);
  const send = (): void => {
    const packet = options.packets[next++ % options.packets.length] as Uint8Array;
    inflight++;
    socket.send(packet);
  };
  const fill = (): void => {
    while (!stopped && inflight < opened) send();
  };
  const open = (): void => {
    if (stopped) return;
    opened = Math.min(options.window, opened + RAMP);
    fill();
    if (opened < options.window) setImmediate(open);
  };
  const onMessage = (msg: Buffer): void => {
    if (msg[TYPE_OFFSET] !== options.replyType) return;
    replies++;
    inflight = Math.max(0, inflight - 1);
    fill();
  };
  socket.on('message', onMessage);
  let seen = 0;
  const watchdog = setInterval(() => {
    if (replies === seen && opened === options.window) {
      inflight = 0; // no reply for a whole tick: whatever is still out was dropped
      fill();
    }
    seen = replies;
  }, 200);
  try {
    open();
    await delay(options.warmupMs);
    const startReplies = replies;
    const startCpu = process.cpuUsage();
    const start = performance.now();
    await delay(options.durationMs);
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(startCpu);
    const counted = replies - startReplies;
    stopped = true;
    await delay(DRAIN_MS);
    return {
      replies: counted,
      seconds,
      perSecond: counted / seconds,
      cpuUsPerReply: counted === 0 ? Number.POSITIVE_INFINITY : (cpu.user + cpu.system) / counted,
      unanswered: next - replies,
    };
  } finally {
    clearInterval(watchdog);
    socket.off('message', onMessage);
  }
}
