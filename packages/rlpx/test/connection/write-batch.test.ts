/**
 * Write coalescing of {@link RlpxConnection}: frames written within one tick go to the socket
 * together, in order, through backpressure, and `end`/`close` hand queued frames over first.
 */
import { equalBytes } from '@ethp2p/crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RlpxConnection } from '../../src/index.ts';
import { frameLength } from '../frame/helpers.ts';
import { pair, pairTracker, pattern } from './loopback.ts';

const { track, closeAll } = pairTracker();
afterEach(() => {
  vi.restoreAllMocks();
  closeAll();
});

/** Reads `count` messages and checks each is `expected(i)` with code `0x10 + i % 16`. */
async function expectMessages(
  conn: RlpxConnection,
  count: number,
  expected: (i: number) => Uint8Array,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const msg = await conn.readMsg();
    expect(msg.code).toBe(0x10 + (i % 16));
    expect(equalBytes(msg.data, expected(i))).toBe(true);
  }
}

describe('RlpxConnection write batching', () => {
  it('hands the frames written in one tick to the socket in one write, in order', async () => {
    const { initiator, recipient, recipientSocket } = await track(pair());
    const write = vi.spyOn(recipientSocket, 'write');
    const payload = (i: number): Uint8Array => pattern(200 + i, i);
    const sent = Array.from({ length: 10 }, (_, i) => recipient.writeMsg(0x10 + i, payload(i)));
    // Queued, not yet written, yet counted in bytesWritten.
    const total = Array.from({ length: 10 }, (_, i) => frameLength(200 + i)).reduce(
      (a, b) => a + b,
    );
    expect(write).not.toHaveBeenCalled();
    expect(recipient.bytesWritten - recipientSocket.bytesWritten).toBe(total);
    expect((await Promise.all(sent)).reduce((a, b) => a + b)).toBe(total);
    await expectMessages(initiator, 10, payload);
    expect(write).toHaveBeenCalledTimes(1);
    expect(write.mock.calls[0]?.[0]).toHaveLength(total);
  });

  it('writes early once a batch reaches 64 KiB, keeping the order', async () => {
    const { initiator, recipient, recipientSocket } = await track(pair());
    const write = vi.spyOn(recipientSocket, 'write');
    const payload = (i: number): Uint8Array => pattern(2000, i);
    const sent = Array.from({ length: 100 }, (_, i) =>
      recipient.writeMsg(0x10 + (i % 16), payload(i)),
    );
    // About 200 KiB: written in several batches while the tick runs, the rest at its end.
    await expectMessages(initiator, 100, payload);
    await Promise.all(sent);
    expect(write.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(write.mock.calls.length).toBeLessThan(100);
  });

  it('keeps the order of writes queued behind a socket that pushes back', async () => {
    const { initiator, recipient, recipientSocket } = await track(pair());
    const write = vi.spyOn(recipientSocket, 'write');
    // 16 MiB frames, each over the socket's high-water mark, so every one of them waits for
    // drain, while small writes queue behind them; the peer reads only once all are queued.
    const payload = (i: number): Uint8Array => (i % 2 === 0 ? pattern(1 << 20, i) : pattern(i, i));
    const sent = Array.from({ length: 32 }, (_, i) =>
      recipient.writeMsg(0x10 + (i % 16), payload(i)),
    );
    await expectMessages(initiator, 32, payload);
    await Promise.all(sent);
    // The socket pushed back (a write returned false) and later writes waited for its drain.
    expect(write.mock.results.some((r) => r.value === false)).toBe(true);
    expect(write.mock.calls.length).toBeLessThanOrEqual(32);
  });

  it('end() writes the queued frames before the FIN', async () => {
    const { initiator, recipient } = await track(pair());
    const payload = (i: number): Uint8Array => pattern(300, i);
    const sent = [0, 1, 2].map((i) => recipient.writeMsg(0x10 + i, payload(i)));
    await recipient.end();
    await Promise.all(sent);
    await expectMessages(initiator, 3, payload);
    await expect(initiator.readMsg()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('close() hands the queued frames to the socket before destroying it', async () => {
    const { recipient, recipientSocket } = await track(pair());
    const write = vi.spyOn(recipientSocket, 'write');
    const sent = recipient.writeMsg(0x10, pattern(100, 1));
    recipient.close();
    await sent;
    expect(write).toHaveBeenCalledTimes(1);
    // Nothing is written after the close, at the end of the tick or later.
    await new Promise<void>((resolve) => process.nextTick(resolve));
    expect(write).toHaveBeenCalledTimes(1);
    await expect(recipient.writeMsg(0x10, pattern(1, 1))).rejects.toMatchObject({
      code: 'CLOSED',
    });
  });
});
