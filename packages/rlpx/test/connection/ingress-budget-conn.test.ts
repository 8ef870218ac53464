/**
 * Connections sharing an {@link IngressBudget}: a large frame body is read only once the pool
 * has room for it (the socket is not read meanwhile), small frames never wait, and the room
 * comes back on the next read and on every close.
 * @module
 */
import { waitFor } from '@ethp2p/base/testing';
import { equalBytes } from '@ethp2p/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  IngressBudget,
  type RlpxConnection,
  type RlpxConnectionOptions,
  RlpxError,
} from '../../src/index.ts';
import { type Pair, pair, pattern } from './loopback.ts';

const LARGE = 400_000;
const open: RlpxConnection[] = [];

afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

/** A pair whose recipient takes room from `budget`. */
async function budgeted(budget: IngressBudget, options: RlpxConnectionOptions = {}): Promise<Pair> {
  const p = await pair({}, { ...options, ingressBudget: budget });
  open.push(p.initiator, p.recipient);
  return p;
}

/** Sends without waiting for the drain (the reader may be held back on purpose). */
function send(conn: RlpxConnection, code: number, data: Uint8Array): void {
  conn.writeMsg(code, data).catch(() => {});
}

/**
 * A 500 kB budget, three budgeted pairs, and the first pair's recipient holding room for the
 * large message it has read.
 */
async function oneHolding(): Promise<{ budget: IngressBudget; pairs: [Pair, Pair, Pair] }> {
  const budget = new IngressBudget({ totalBytes: 500_000, thresholdBytes: 1024 });
  const pairs: [Pair, Pair, Pair] = [
    await budgeted(budget),
    await budgeted(budget),
    await budgeted(budget),
  ];
  send(pairs[0].initiator, 0x10, pattern(LARGE, 1));
  const first = await pairs[0].recipient.readMsg();
  expect(equalBytes(first.data, pattern(LARGE, 1))).toBe(true);
  expect(budget.stats().heldBytes).toBeGreaterThanOrEqual(LARGE);
  return { budget, pairs };
}

describe('RlpxConnection with an ingress budget', () => {
  it('reads a large body only with room; small frames pass; the next read releases', async () => {
    const {
      budget,
      pairs: [a, b, c],
    } = await oneHolding();

    const bytesBefore = b.recipient.bytesRead;
    send(b.initiator, 0x11, pattern(LARGE, 2));
    const second = b.recipient.readMsg();
    await waitFor(() => budget.stats().waiting === 1, { what: 'b waits for room' });
    // While it waits, b's socket is not drained: at most a socket buffer's worth came in.
    expect(b.recipient.bytesRead - bytesBefore).toBeLessThan(LARGE / 2);

    // Small messages are not held back by the wait.
    for (let i = 0; i < 5; i++) {
      send(c.initiator, 0x12, pattern(100, i));
      expect((await c.recipient.readMsg()).data).toEqual(pattern(100, i));
    }
    expect(budget.stats().waiting).toBe(1);

    // a's next read hands its room back; b gets it.
    const aNext = a.recipient.readMsg().catch((e: unknown) => e);
    const got = await second;
    expect(got.code).toBe(0x11);
    expect(equalBytes(got.data, pattern(LARGE, 2))).toBe(true);
    expect(budget.stats()).toMatchObject({ waiting: 0, waits: 1 });
    a.recipient.close();
    expect(await aNext).toBeInstanceOf(RlpxError);
  });

  it('gives the room back when a holder or a waiter closes', async () => {
    const {
      budget,
      pairs: [holder, waiter, next],
    } = await oneHolding();
    send(waiter.initiator, 0x10, pattern(LARGE, 2));
    const waiting = waiter.recipient.readMsg().catch((e: unknown) => e);
    send(next.initiator, 0x10, pattern(LARGE, 3));
    const third = next.recipient.readMsg();
    await waitFor(() => budget.stats().waiting === 2, { what: 'two connections wait' });

    // A waiter that closes leaves the queue without holding anything.
    waiter.recipient.close();
    const err = await waiting;
    expect(err).toBeInstanceOf(RlpxError);
    expect((err as RlpxError).code).toBe('CLOSED');
    expect(budget.stats().waiting).toBe(1);

    // The holder dropped: its room goes to the next in line.
    holder.recipient.close();
    expect(equalBytes((await third).data, pattern(LARGE, 3))).toBe(true);
    next.recipient.close();
    expect(budget.stats()).toMatchObject({ heldBytes: 0, waiting: 0 });
  });

  it.each([
    // About 70 kB on the wire: the body comes in several chunks and waits before the last.
    ['in several chunks', 1_500_000],
    // About 47 kB on the wire: the whole frame comes in one chunk and is held whole.
    ['in one chunk', 1_000_000],
  ])(
    'counts a snappy message at its decompressed size, decided before decompressing (%s)',
    async (_name, SIZE) => {
      const budget = new IngressBudget({ totalBytes: 1_800_000, thresholdBytes: 100_000 });
      const [a, b] = [await budgeted(budget), await budgeted(budget)];
      for (const p of [a, b]) {
        p.initiator.enableSnappy();
        p.recipient.enableSnappy();
      }
      const zeros = new Uint8Array(SIZE);
      send(a.initiator, 0x10, zeros);
      const first = await a.recipient.readMsg();
      expect(first.data.length).toBe(SIZE);
      expect(first.size).toBeLessThan(100_000);
      expect(budget.stats()).toMatchObject({ heldBytes: SIZE, grants: 1 });

      // The second does not fit beside it: it waits, undecompressed.
      send(b.initiator, 0x11, zeros);
      const second = b.recipient.readMsg();
      await waitFor(() => budget.stats().waiting === 1, { what: 'b waits for room' });
      const aNext = a.recipient.readMsg().catch((e: unknown) => e);
      expect((await second).data.length).toBe(SIZE);
      expect(budget.stats()).toMatchObject({ heldBytes: SIZE, waiting: 0, grants: 2, waits: 1 });
      a.recipient.close();
      expect(await aNext).toBeInstanceOf(RlpxError);
    },
  );

  it('hands the room of a message to whoever takes it', async () => {
    const budget = new IngressBudget({ totalBytes: 500_000, thresholdBytes: 1024 });
    const p = await budgeted(budget);
    send(p.initiator, 0x10, pattern(LARGE, 1));
    await p.recipient.readMsg();
    const room = p.recipient.takeRoom();
    expect(room?.bytes).toBeGreaterThanOrEqual(LARGE);
    expect(p.recipient.takeRoom()).toBeNull();
    // Neither the next read nor the close gives it back: its taker does.
    send(p.initiator, 0x11, pattern(10, 1));
    expect((await p.recipient.readMsg()).code).toBe(0x11);
    p.recipient.close();
    expect(budget.stats().heldBytes).toBe(room?.bytes);
    room?.release();
    expect(budget.stats().heldBytes).toBe(0);
  });

  it('lets a body larger than the pool through alone', async () => {
    const budget = new IngressBudget({ totalBytes: 50_000, thresholdBytes: 1024 });
    const p = await budgeted(budget);
    send(p.initiator, 0x10, pattern(LARGE, 4));
    expect(equalBytes((await p.recipient.readMsg()).data, pattern(LARGE, 4))).toBe(true);
    expect(budget.stats().heldBytes).toBe(50_000);
  });

  it('does not run the read timeout while waiting for room', async () => {
    const budget = new IngressBudget({ totalBytes: 500_000, thresholdBytes: 1024 });
    const holder = await budgeted(budget);
    const slow = await budgeted(budget, { readTimeoutMs: 50 });
    send(holder.initiator, 0x10, pattern(LARGE, 1));
    await holder.recipient.readMsg();
    send(slow.initiator, 0x10, pattern(LARGE, 2));
    const waiting = slow.recipient.readMsg();
    await waitFor(() => budget.stats().waiting === 1, { what: 'the connection waits' });
    // Longer than its read timeout, on the real clock the connection's timer uses.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slow.recipient.closed).toBe(false);
    holder.recipient.close();
    expect(equalBytes((await waiting).data, pattern(LARGE, 2))).toBe(true);
  });

  it('many large senders at once never hold more than the pool; a small peer is served', async () => {
    const size = 200_000;
    const total = 500_000;
    const budget = new IngressBudget({ totalBytes: total, thresholdBytes: 1024 });
    const senders = await Promise.all(Array.from({ length: 6 }, () => budgeted(budget)));
    const chatty = await budgeted(budget);
    const ROUNDS = 2;
    let maxHeld = 0;
    const readers = senders.map(async (p, i) => {
      for (let r = 0; r < ROUNDS; r++) send(p.initiator, 0x10, pattern(size, i * 10 + r));
      for (let r = 0; r < ROUNDS; r++) {
        const msg = await p.recipient.readMsg();
        maxHeld = Math.max(maxHeld, budget.stats().heldBytes);
        expect(equalBytes(msg.data, pattern(size, i * 10 + r))).toBe(true);
      }
      p.recipient.close();
    });
    let served = 0;
    const done = Promise.all(readers);
    let finished = false;
    void done.finally(() => {
      finished = true;
    });
    while (!finished || served < 10) {
      send(chatty.initiator, 0x11, pattern(10, served));
      expect((await chatty.recipient.readMsg()).data).toEqual(pattern(10, served));
      served++;
      if (served > 10_000) throw new Error('large senders never finished');
    }
    await done;
    expect(maxHeld).toBeLessThanOrEqual(total);
    const stats = budget.stats();
    expect(stats.peakHeldBytes).toBeLessThanOrEqual(total);
    expect(stats.waits).toBeGreaterThan(0);
    expect(stats).toMatchObject({ heldBytes: 0, waiting: 0, grants: 6 * ROUNDS });
  });
});
