import { waitFor } from '@ethp2p/base/testing';
import { describe, expect, it } from 'vitest';
import { SendQueue } from '../../src/peer/send-queue.ts';

/** A sender that takes up to `pack` entries and waits until the test releases the write. */
function gatedSender(pack: number) {
  const sent: number[][] = [];
  const gates: (() => void)[] = [];
  return {
    sent,
    release() {
      gates.shift()?.();
    },
    get waiting() {
      return gates.length;
    },
    sendNext(front: { size: number; shift(): number | undefined }): Promise<void> {
      const batch: number[] = [];
      while (front.size > 0 && batch.length < pack) batch.push(front.shift() as number);
      sent.push(batch);
      return new Promise<void>((resolve) => gates.push(resolve));
    },
  };
}

describe('SendQueue', () => {
  it('sends at once and never more than one pack at a time', async () => {
    const s = gatedSender(2);
    const q = new SendQueue<number>({ capacity: 10, sendNext: (f) => s.sendNext(f) });
    q.push(1, 2, 3);
    expect(s.sent).toEqual([[1, 2]]);
    q.push(4);
    expect(s.waiting).toBe(1);
    s.release();
    await waitFor(() => s.sent.length === 2, { what: 'the second pack is sent' });
    expect(s.sent).toEqual([
      [1, 2],
      [3, 4],
    ]);
    s.release();
    await q.idle();
    expect(q.size).toBe(0);
  });

  it('drops the oldest entries when full instead of growing', async () => {
    const s = gatedSender(100);
    const q = new SendQueue<number>({ capacity: 4, sendNext: (f) => s.sendNext(f) });
    q.push(0); // taken at once, the write hangs
    q.push(1, 2, 3, 4, 5, 6);
    expect(q.size).toBe(4);
    expect(q.dropped).toBe(2);
    s.release();
    await waitFor(() => s.sent.length === 2, { what: 'the second pack is sent' });
    expect(s.sent).toEqual([[0], [3, 4, 5, 6]]);
    s.release();
    await q.idle();
  });

  it('stops for good after a failed send and reports it once', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const q = new SendQueue<number>({
      capacity: 4,
      sendNext: (f) => {
        calls++;
        f.shift();
        return Promise.reject(new Error('write failed'));
      },
      onError: (err) => errors.push(err),
    });
    q.push(1, 2);
    await q.idle();
    expect(q.closed).toBe(true);
    q.push(3);
    await q.idle();
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('takes an entry itself when the sender took none', async () => {
    let calls = 0;
    const q = new SendQueue<number>({
      capacity: 4,
      sendNext: async () => {
        calls++;
      },
    });
    q.push(1, 2, 3);
    await q.idle();
    expect(calls).toBe(3);
    expect(q.size).toBe(0);
  });

  it('drops everything on close', async () => {
    const s = gatedSender(1);
    const q = new SendQueue<number>({ capacity: 4, sendNext: (f) => s.sendNext(f) });
    q.push(1, 2, 3);
    q.close();
    s.release();
    await q.idle();
    expect(s.sent).toEqual([[1]]);
    expect(q.size).toBe(0);
  });
});
