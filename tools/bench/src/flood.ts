/**
 * A closed-loop discv4 packet flooder for benchmarks: keeps a window of pre-signed packets in
 * flight to one target on loopback and counts the replies of one packet type. All signing happens
 * before the clock starts, so the flooder itself costs almost nothing while measuring.
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
}

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
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return socket;
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
  const send = (): void => {
    const packet = options.packets[next++ % options.packets.length] as Uint8Array;
    inflight++;
    socket.send(packet, target.port, target.address);
  };
  const fill = (): void => {
    while (inflight < options.window) send();
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
    if (replies === seen) {
      inflight = 0; // no reply for a whole tick: whatever is still out was dropped
      fill();
    }
    seen = replies;
  }, 200);
  try {
    fill();
    await delay(options.warmupMs);
    const startReplies = replies;
    const startCpu = process.cpuUsage();
    const start = performance.now();
    await delay(options.durationMs);
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(startCpu);
    const counted = replies - startReplies;
    return {
      replies: counted,
      seconds,
      perSecond: counted / seconds,
      cpuUsPerReply: counted === 0 ? Number.POSITIVE_INFINITY : (cpu.user + cpu.system) / counted,
    };
  } finally {
    clearInterval(watchdog);
    socket.off('message', onMessage);
  }
}
