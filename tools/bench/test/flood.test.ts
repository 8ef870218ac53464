/**
 * The discv4 flooder opens its window over several event-loop turns (one burst of 128 would
 * overflow a default socket receive buffer) and reports the requests that were never answered.
 */
import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { bindFlooder, flood } from '../src/flood.ts';

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

/** A datagram of `type` at the discv4 type offset (97). */
function packet(type: number): Uint8Array {
  const bytes = new Uint8Array(98);
  bytes[97] = type;
  return bytes;
}

describe('flood', () => {
  it('opens the window over several turns and counts the requests never answered', async () => {
    const WINDOW = 96;
    const DROPPED = 3;
    const target = await bindFlooder();
    sockets.push(target);
    let received = 0;
    target.on('message', (_msg, from) => {
      if (++received <= DROPPED) return;
      // Late enough that the whole window is out before the first answer.
      setTimeout(() => target.send(packet(4), from.port, from.address), 30);
    });
    const flooder = await bindFlooder();
    sockets.push(flooder);
    // Sends per event-loop turn, told apart by a counter of check phases.
    const perTurn = new Map<number, number>();
    let sent = 0;
    let turn = 0;
    const tick = (): void => {
      turn++;
      if (turn < 1000) setImmediate(tick);
    };
    setImmediate(tick);
    const send = flooder.send.bind(flooder) as (...args: unknown[]) => void;
    flooder.send = ((...args: unknown[]) => {
      if (++sent <= WINDOW) perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
      send(...args);
    }) as typeof flooder.send;
    const result = await flood(
      flooder,
      { address: '127.0.0.1', port: target.address().port },
      { packets: [packet(3)], replyType: 4, window: WINDOW, warmupMs: 20, durationMs: 100 },
    );
    // The first window: 16 a turn (a turn may also see the one before's), never all at once.
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(32);
    expect(perTurn.size).toBeGreaterThanOrEqual(3);
    expect(result.unanswered).toBe(DROPPED);
    expect(result.replies).toBeGreaterThan(0);
    expect(received).toBeGreaterThan(WINDOW);
  });
});
