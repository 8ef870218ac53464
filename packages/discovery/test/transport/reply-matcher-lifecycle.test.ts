import { SimulatedClock } from '@ethp2p/base';
import { describe, expect, it } from 'vitest';
import { RESPONSE_TIMEOUT_MS } from '../../src/transport/constants.ts';
import { TransportError } from '../../src/transport/errors.ts';
import { type ReplyKey, ReplyMatcher } from '../../src/transport/reply-matcher.ts';

const KEY: ReplyKey = { from: 'aa'.repeat(64), ip: '10.0.0.1', type: 2 };
const DONE = { matched: true, done: true } as const;

function setup(maxPending?: number) {
  const clock = new SimulatedClock(1_000_000);
  const matcher = new ReplyMatcher({
    clock,
    ...(maxPending === undefined ? {} : { maxPending }),
  });
  /** Lets `n` requests from distinct nodes time out together. */
  const timeOut = async (n: number) => {
    const all = Array.from({ length: n }, (_, i) =>
      matcher.expect({ ...KEY, from: `t${i}` }, () => DONE).catch((e: unknown) => e),
    );
    clock.advance(RESPONSE_TIMEOUT_MS);
    for (const e of await Promise.all(all)) expect((e as TransportError).code).toBe('TIMEOUT');
  };
  return { clock, matcher, timeOut };
}

describe('ReplyMatcher consecutive timeouts', () => {
  it('counts consecutive timeouts', async () => {
    const { matcher, timeOut } = setup();
    await timeOut(40);
    expect(matcher.consecutiveTimeouts).toBe(40);
    expect(matcher.stats.timeouts).toBe(40);
  });

  it('starts counting again after a reply from a node we waited for', async () => {
    const { matcher, timeOut } = setup();
    await timeOut(3);
    const reply = matcher.expect(KEY, () => DONE);
    matcher.dispatch(KEY, 'pong');
    await reply;
    expect(matcher.consecutiveTimeouts).toBe(0);
    await timeOut(2);
    expect(matcher.consecutiveTimeouts).toBe(2);
  });

  it('does not count unsolicited replies as an answer', async () => {
    const { matcher, timeOut } = setup();
    await timeOut(3);
    expect(matcher.dispatch(KEY, 'nobody asked')).toBe(false);
    expect(matcher.consecutiveTimeouts).toBe(3);
  });
});

describe('ReplyMatcher abort, close and limits', () => {
  it('rejects with signal.reason on abort and unregisters the request', async () => {
    const { clock, matcher } = setup();
    const controller = new AbortController();
    const reason = new Error('lookup cancelled');
    const pending = matcher.expect(KEY, () => DONE, { signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(matcher.pendingCount).toBe(0);
    expect(clock.pending).toBe(0);
    expect(matcher.dispatch(KEY, 'late pong')).toBe(false);
  });

  it('rejects at once with signal.reason when already aborted', async () => {
    const { matcher } = setup();
    const signal = AbortSignal.abort(new Error('too late'));
    await expect(matcher.expect(KEY, () => DONE, { signal })).rejects.toBe(signal.reason);
    expect(matcher.pendingCount).toBe(0);
  });

  it('ignores an abort after the request completed', async () => {
    const { matcher } = setup();
    const controller = new AbortController();
    const pending = matcher.expect(KEY, () => DONE, { signal: controller.signal });
    matcher.dispatch(KEY, 'pong');
    controller.abort();
    await expect(pending).resolves.toBeUndefined();
  });

  it('close rejects every pending request with CLOSED and leaves no timer', async () => {
    const { clock, matcher } = setup();
    const all = [1, 2, 3].map((i) =>
      matcher.expect({ ...KEY, type: i }, () => DONE, { timeoutMs: i * 100 }),
    );
    expect(clock.pending).toBe(1);
    matcher.close();
    matcher.close();
    for (const p of all) await expect(p).rejects.toMatchObject({ code: 'CLOSED' });
    expect(clock.pending).toBe(0);
    expect(matcher.pendingCount).toBe(0);
    await expect(matcher.expect(KEY, () => DONE)).rejects.toMatchObject({
      name: 'TransportError',
      code: 'CLOSED',
    });
    expect(matcher.dispatch(KEY, 'pong')).toBe(false);
  });

  it('rejects requests beyond maxPending with TOO_MANY_PENDING', async () => {
    const { matcher } = setup(3);
    const accepted = [0, 1, 2].map((i) => matcher.expect({ ...KEY, type: i }, () => DONE));
    const refused = matcher.expect({ ...KEY, type: 9 }, () => DONE);
    await expect(refused).rejects.toBeInstanceOf(TransportError);
    await expect(refused).rejects.toMatchObject({ code: 'TOO_MANY_PENDING' });
    matcher.dispatch({ ...KEY, type: 0 }, 'pong');
    await accepted[0];
    const again = matcher.expect({ ...KEY, type: 9 }, () => DONE);
    expect(matcher.pendingCount).toBe(3);
    matcher.close();
    await expect(again).rejects.toMatchObject({ code: 'CLOSED' });
    await Promise.allSettled(accepted);
  });

  it('rejects bad timeouts with RangeError', async () => {
    const { matcher } = setup();
    await expect(matcher.expect(KEY, () => DONE, { timeoutMs: 0 })).rejects.toBeInstanceOf(
      RangeError,
    );
    expect(() => new ReplyMatcher({ timeoutMs: -1 })).toThrow(RangeError);
    expect(() => new ReplyMatcher({ maxPending: 0 })).toThrow(RangeError);
  });
});
