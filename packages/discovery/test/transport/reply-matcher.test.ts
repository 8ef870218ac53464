import { type Clock, SimulatedClock, seededRandom, type Timer } from '@ethp2p/base';
import { describe, expect, it } from 'vitest';
import { RESPONSE_TIMEOUT_MS } from '../../src/transport/constants.ts';
import { TransportError } from '../../src/transport/errors.ts';
import {
  type ReplyKey,
  ReplyMatcher,
  type ReplyVerdict,
} from '../../src/transport/reply-matcher.ts';

const PONG = 2;
const NEIGHBORS = 4;
const KEY: ReplyKey = { from: 'aa'.repeat(64), ip: '10.0.0.1', type: PONG };
const DONE = { matched: true, done: true } as const;

/** Records how a promise settled, without leaving a rejection unhandled. */
function track(promise: Promise<void>) {
  const state: { settled: 'pending' | 'resolved' | 'rejected'; error?: unknown } = {
    settled: 'pending',
  };
  promise.then(
    () => {
      state.settled = 'resolved';
    },
    (error: unknown) => {
      state.settled = 'rejected';
      state.error = error;
    },
  );
  return state;
}

/** A callback that records each packet it sees into `log` and answers `verdict`. */
function recorder(log: unknown[], verdict: ReplyVerdict, label?: string) {
  return (packet: unknown): ReplyVerdict => {
    log.push(label ?? packet);
    return verdict;
  };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function codeOf(error: unknown): string | undefined {
  return error instanceof TransportError ? error.code : undefined;
}

/** A clock whose time can be set backwards; its timers run only when `fire` is called. */
class SettableClock implements Clock {
  time = 10_000;
  readonly timers = new Set<() => void>();
  now(): number {
    return this.time;
  }
  schedule(_ms: number, fn: () => void): Timer {
    const entry = (): void => fn();
    this.timers.add(entry);
    return { cancel: () => this.timers.delete(entry) };
  }
  fire(): void {
    const due = [...this.timers];
    this.timers.clear();
    for (const fn of due) fn();
  }
}

function setup(options: { maxPending?: number } = {}) {
  const clock = new SimulatedClock(1_000_000);
  const matcher = new ReplyMatcher({ clock, ...options });
  return { clock, matcher };
}

describe('ReplyMatcher', () => {
  it('resolves when a reply completes the request and leaves no timer', async () => {
    const { clock, matcher } = setup();
    const seen: unknown[] = [];
    const state = track(matcher.expect(KEY, recorder(seen, DONE)));
    expect(matcher.pendingCount).toBe(1);
    expect(matcher.dispatch(KEY, 'pong')).toBe(true);
    await flush();
    expect(state.settled).toBe('resolved');
    expect(seen).toEqual(['pong']);
    expect(matcher.pendingCount).toBe(0);
    expect(clock.pending).toBe(0);
    expect(matcher.stats.matched).toBe(1);
  });

  it('rejects with TIMEOUT at the deadline counted from registration', async () => {
    const { clock, matcher } = setup();
    const first = track(matcher.expect(KEY, () => DONE));
    clock.advance(300);
    const second = track(matcher.expect({ ...KEY, from: 'bb'.repeat(64) }, () => DONE));
    clock.advance(RESPONSE_TIMEOUT_MS - 301);
    await flush();
    expect(first.settled).toBe('pending');
    clock.advance(1);
    await flush();
    expect(codeOf(first.error)).toBe('TIMEOUT');
    expect(second.settled).toBe('pending');
    clock.advance(300);
    await flush();
    expect(codeOf(second.error)).toBe('TIMEOUT');
    expect(clock.pending).toBe(0);
    expect(matcher.stats.timeouts).toBe(2);
  });

  it('honours a per-request timeout', async () => {
    const { clock, matcher } = setup();
    const state = track(matcher.expect(KEY, () => DONE, { timeoutMs: 2000 }));
    clock.advance(1999);
    await flush();
    expect(state.settled).toBe('pending');
    clock.advance(1);
    await flush();
    expect(codeOf(state.error)).toBe('TIMEOUT');
  });

  it('collects partial replies until the callback is done', async () => {
    const { matcher } = setup();
    const key = { ...KEY, type: NEIGHBORS };
    const nodes: number[] = [];
    const state = track(
      matcher.expect<number[]>(key, (batch) => {
        nodes.push(...batch);
        return { matched: true, done: nodes.length >= 16 };
      }),
    );
    expect(
      matcher.dispatch(
        key,
        Array.from({ length: 12 }, (_, i) => i),
      ),
    ).toBe(true);
    await flush();
    expect(state.settled).toBe('pending');
    matcher.dispatch(key, [12, 13, 14, 15]);
    await flush();
    expect(state.settled).toBe('resolved');
    expect(nodes).toHaveLength(16);
  });

  it('still rejects with TIMEOUT after partial replies, keeping what the callback collected', async () => {
    const { clock, matcher } = setup();
    const nodes: number[] = [];
    const state = track(
      matcher.expect<number[]>(KEY, (batch) => {
        nodes.push(...batch);
        return { matched: true, done: false };
      }),
    );
    matcher.dispatch(KEY, [1, 2, 3]);
    clock.advance(RESPONSE_TIMEOUT_MS);
    await flush();
    expect(codeOf(state.error)).toBe('TIMEOUT');
    expect(nodes).toEqual([1, 2, 3]);
  });

  it('offers a reply to every request with the key, in registration order', async () => {
    const { matcher } = setup();
    const calls: unknown[] = [];
    const a = track(matcher.expect(KEY, recorder(calls, { matched: false, done: false }, 'a')));
    const b = track(matcher.expect(KEY, recorder(calls, DONE, 'b')));
    const c = track(matcher.expect(KEY, recorder(calls, { matched: false, done: true }, 'c')));
    expect(matcher.dispatch(KEY, 'x')).toBe(true);
    await flush();
    expect(calls).toEqual(['a', 'b', 'c']);
    expect([a.settled, b.settled, c.settled]).toEqual(['pending', 'resolved', 'resolved']);
    expect(matcher.pendingCount).toBe(1);
  });

  it.each([
    ['node id', { from: 'bb'.repeat(64) }],
    ['ip', { ip: '10.0.0.2' }],
    ['packet type', { type: NEIGHBORS }],
  ])('does not match a reply with another %s', async (_name, change) => {
    const { matcher } = setup();
    const calls: unknown[] = [];
    const state = track(matcher.expect(KEY, recorder(calls, DONE)));
    expect(matcher.dispatch({ ...KEY, ...change }, 'x')).toBe(false);
    await flush();
    expect(calls).toEqual([]);
    expect(state.settled).toBe('pending');
    expect(matcher.stats.unmatched).toBe(1);
  });

  it('counts a reply no callback matched as unmatched', () => {
    const { matcher } = setup();
    void track(matcher.expect(KEY, () => ({ matched: false, done: false })));
    expect(matcher.dispatch(KEY, 'wrong token')).toBe(false);
    expect(matcher.stats).toMatchObject({ matched: 0, unmatched: 1, pending: 1 });
  });

  it('tells whether a reply of a type is expected from an ip, until the request settles', async () => {
    const { clock, matcher } = setup();
    expect(matcher.expectsFrom(KEY.ip, PONG)).toBe(false);
    const first = track(matcher.expect(KEY, () => DONE));
    const second = track(matcher.expect({ ...KEY, from: 'bb'.repeat(64) }, () => DONE));
    expect(matcher.expectsFrom('::ffff:10.0.0.1', PONG)).toBe(true);
    expect(matcher.expectsFrom(KEY.ip, NEIGHBORS)).toBe(false);
    expect(matcher.expectsFrom('10.0.0.2', PONG)).toBe(false);
    matcher.dispatch(KEY, 'pong');
    await flush();
    expect(first.settled).toBe('resolved');
    expect(matcher.expectsFrom(KEY.ip, PONG)).toBe(true);
    clock.advance(RESPONSE_TIMEOUT_MS);
    await flush();
    expect(second.settled).toBe('rejected');
    expect(matcher.expectsFrom(KEY.ip, PONG)).toBe(false);
  });

  it('matches node ids case-insensitively and IPv4-mapped IPv6 as IPv4', () => {
    const { matcher } = setup();
    void track(matcher.expect(KEY, () => DONE));
    expect(
      matcher.dispatch({ ...KEY, from: KEY.from.toUpperCase(), ip: '::ffff:10.0.0.1' }, 1),
    ).toBe(true);
  });

  it('rejects only the request whose callback threw, with its error', async () => {
    const { matcher } = setup();
    const boom = new Error('bad packet');
    const a = track(
      matcher.expect(KEY, () => {
        throw boom;
      }),
    );
    const b = track(matcher.expect(KEY, () => DONE));
    expect(matcher.dispatch(KEY, 'x')).toBe(true);
    await flush();
    expect(a.error).toBe(boom);
    expect(b.settled).toBe('resolved');
  });

  it('keeps one timer for many requests and times them out in deadline order', async () => {
    const { clock, matcher } = setup();
    const random = seededRandom(7);
    const order: number[] = [];
    const deadlines: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const timeoutMs = 1 + random.intn(2000);
      deadlines.push(clock.now() + timeoutMs);
      const key = { ...KEY, from: i.toString(16).padStart(4, '0') };
      matcher.expect(key, () => DONE, { timeoutMs }).catch(() => order.push(i));
      expect(clock.pending).toBeLessThanOrEqual(1);
      if (i % 3 === 0) matcher.dispatch({ ...KEY, from: 'ff'.repeat(64) }, 'noise');
    }
    for (let t = 0; t < 2000; t += 7) {
      clock.advance(7);
      expect(clock.pending).toBeLessThanOrEqual(1);
    }
    await flush();
    expect(order).toHaveLength(1000);
    const expected = deadlines
      .map((d, i) => [d, i] as const)
      .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    expect(order).toEqual(expected.map(([, i]) => i));
    expect(clock.pending).toBe(0);
  });

  it('fails requests with CLOCK_WARP when the clock jumped backwards', async () => {
    const clock = new SettableClock();
    const matcher = new ReplyMatcher({ clock });
    const warped = track(matcher.expect(KEY, () => DONE));
    clock.time -= 2 * RESPONSE_TIMEOUT_MS; // deadline now lies 3 timeouts ahead
    clock.fire();
    await flush();
    expect(codeOf(warped.error)).toBe('CLOCK_WARP');
    expect(matcher.stats.clockWarps).toBe(1);
    expect(clock.timers.size).toBe(0);
  });

  it('detects the warp when a new request arrives and keeps the new request', async () => {
    const clock = new SettableClock();
    const matcher = new ReplyMatcher({ clock });
    const old = track(matcher.expect(KEY, () => DONE));
    clock.time -= 10_000;
    const fresh = track(matcher.expect({ ...KEY, type: NEIGHBORS }, () => DONE));
    await flush();
    expect(codeOf(old.error)).toBe('CLOCK_WARP');
    expect(fresh.settled).toBe('pending');
    expect(matcher.pendingCount).toBe(1);
  });

  it('does not call a small backward step a warp', async () => {
    const clock = new SettableClock();
    const matcher = new ReplyMatcher({ clock });
    const state = track(matcher.expect(KEY, () => DONE));
    clock.time -= RESPONSE_TIMEOUT_MS / 2; // deadline 1.5 timeouts ahead: still plausible
    clock.fire();
    await flush();
    expect(state.settled).toBe('pending');
    expect(clock.timers.size).toBe(1);
    clock.time += 2 * RESPONSE_TIMEOUT_MS;
    clock.fire();
    await flush();
    expect(codeOf(state.error)).toBe('TIMEOUT');
  });
});
