/**
 * The write timeout of {@link RlpxConnection}, on an injected {@link SimulatedClock}: a peer that
 * stops reading makes TCP push back until `writeMsg` waits for `drain`, and the wait fails with
 * `TIMEOUT` once the clock passes `writeTimeoutMs` (geth `p2p/rlpx` write deadline, 20 s). The
 * read idle timeout is covered in rejections.test.ts.
 * @module
 */

import { SimulatedClock } from '@ethp2p/base';
import { nextTurn } from '@ethp2p/base/testing';
import { equalBytes } from '@ethp2p/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type RlpxConnection, RlpxError, WRITE_TIMEOUT_MS } from '../../src/index.ts';
import { pair, pattern } from './loopback.ts';

const MIB = 1024 * 1024;
/** Bound on the 1 MiB writes that fill the loopback buffers (the kernel's hold a few MiB). */
const MAX_WRITES = 128;
/** Event-loop turns (each with an I/O poll) a write that can drain is given to do so. */
const DRAIN_TURNS = 50;

const open: RlpxConnection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

/** Whether `p` settles within `turns` turns of the event loop. */
async function settles(p: Promise<unknown>, turns = DRAIN_TURNS): Promise<boolean> {
  let done = false;
  const mark = (): void => {
    done = true;
  };
  p.then(mark, mark);
  for (let i = 0; i < turns && !done; i++) {
    await nextTurn();
  }
  return done;
}

/**
 * Writes 1 MiB messages (code 0x10, payload `pattern(MIB, i)`) until one stops draining; returns
 * it, still pending, and how many resolved before it. Each resolved write leaves no timer.
 * "Stopped draining" is a bounded wait, but the outcome does not hang on it: callers advance the
 * clock in the same synchronous step, so the write's timer is still armed when they do.
 */
async function fillUntilStuck(
  conn: RlpxConnection,
  clock: SimulatedClock,
): Promise<{ stuck: Promise<number>; resolved: number }> {
  for (let i = 0; i < MAX_WRITES; i++) {
    const write = conn.writeMsg(0x10, pattern(MIB, i));
    if (!(await settles(write))) return { stuck: write, resolved: i };
    await write;
    expect(clock.pending).toBe(0);
  }
  throw new Error(`${MAX_WRITES} MiB written to a peer that does not read, and no write blocked`);
}

describe('write timeout', () => {
  it.each([
    ['the default', undefined, WRITE_TIMEOUT_MS],
    ['an explicit', 1500, 1500],
  ])(
    '%s writeTimeoutMs: a peer that stops reading fails writeMsg with TIMEOUT',
    async (_, option, timeoutMs) => {
      const clock = new SimulatedClock(0);
      const { initiator, recipient } = await pair(
        option === undefined ? { clock } : { clock, writeTimeoutMs: option },
      );
      open.push(initiator, recipient);
      expect(clock.pending).toBe(0);

      // The recipient never calls readMsg, so it never pulls bytes off its socket.
      const { stuck, resolved } = await fillUntilStuck(initiator, clock);
      expect(clock.pending).toBe(1);
      const queued = initiator.writeMsg(0x11, new Uint8Array(1));

      clock.advance(timeoutMs - 1);
      expect(initiator.closed).toBe(false);
      expect(clock.pending).toBe(1);
      clock.advance(1);
      expect(initiator.closed).toBe(true);
      expect(initiator.closeReason?.code).toBe('TIMEOUT');
      expect(initiator.readTimedOut).toBe(false);
      expect(clock.pending).toBe(0);

      // The failed writes are awaited before anything else yields to I/O, so their rejections
      // are handled at once.
      await expect(stuck).rejects.toBeInstanceOf(RlpxError);
      await expect(stuck).rejects.toMatchObject({ code: 'TIMEOUT' });
      await expect(queued).rejects.toMatchObject({ code: 'TIMEOUT' });
      await expect(initiator.writeMsg(0x12, new Uint8Array(1))).rejects.toBe(initiator.closeReason);
      await expect(initiator.readMsg()).rejects.toBe(initiator.closeReason);
      await initiator.whenClosed();

      // The peer gets every message that drained, intact and in order, then sees the close.
      let received = 0;
      for await (const msg of recipient) {
        expect(msg.code).toBe(0x10);
        expect(equalBytes(msg.data, pattern(MIB, received))).toBe(true);
        received++;
      }
      expect(received).toBeGreaterThanOrEqual(resolved);
      expect(received).toBeLessThanOrEqual(resolved + 1);
      expect(recipient.closeReason?.code).toBe('CLOSED');
    },
  );

  it('a blocked write that drains before the deadline resolves and cancels its timer', async () => {
    const clock = new SimulatedClock(0);
    const { initiator, recipient } = await pair({ clock });
    open.push(initiator, recipient);
    const { stuck, resolved } = await fillUntilStuck(initiator, clock);
    clock.advance(WRITE_TIMEOUT_MS - 1);

    // The peer starts reading: the blocked write drains and everything arrives.
    const reads = Array.from({ length: resolved + 1 }, () => recipient.readMsg());
    await stuck;
    const got = await Promise.all(reads);
    got.forEach((msg, i) => {
      expect(equalBytes(msg.data, pattern(MIB, i))).toBe(true);
    });
    expect(clock.pending).toBe(0);

    clock.advance(WRITE_TIMEOUT_MS);
    expect(initiator.closed).toBe(false);
    await initiator.writeMsg(0x11, pattern(10, 1));
    expect((await recipient.readMsg()).code).toBe(0x11);
  });
});
