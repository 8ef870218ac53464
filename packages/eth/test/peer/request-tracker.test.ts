import { SimulatedClock, seededRandom } from '@ethp2p/base';
import { describe, expect, it } from 'vitest';
import { MAX_PENDING_REQUESTS, REQUEST_TIMEOUT_MS } from '../../src/peer/constants.ts';
import { RequestError } from '../../src/peer/errors.ts';
import { RequestTracker } from '../../src/peer/request-tracker.ts';

function tracker(clock = new SimulatedClock(), seed = 1): RequestTracker {
  return new RequestTracker({ clock, random: seededRandom(seed) });
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.unreachable('expected a rejection'),
    (err: unknown) => err,
  );
}

describe('RequestTracker', () => {
  it('draws random 64-bit ids from the injected source', () => {
    const random = seededRandom(5);
    const expected = [0, 1].map(() => {
      const b = random.bytes(8);
      return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
    });
    const t = tracker(new SimulatedClock(), 5);
    const a = t.track('BlockHeaders', 1);
    const b = t.track('BlockHeaders', 1);
    expect([a.id, b.id]).toEqual(expected);
    expect(a.id).not.toBe(b.id);
    t.close();
    a.response.catch(() => {});
    b.response.catch(() => {});
  });

  it('before its first request: nothing pending, any response unknown, fail and close quiet', () => {
    const t = tracker();
    expect(t.pending).toBe(0);
    expect(() => t.fulfil('BlockHeaders', 7n, [])).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_REQUEST' }),
    );
    t.fail(7n, new Error('ignored'));
    t.close();
    expect(t.pending).toBe(0);
    expect(() => t.track('BlockHeaders', 1)).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });

  it('resolves a request with its response and forgets it', async () => {
    const t = tracker();
    const { id, response } = t.track('BlockBodies', 2);
    expect(t.fulfil('BlockBodies', id, [Uint8Array.of(1)])).toBe(true);
    await expect(response).resolves.toEqual([Uint8Array.of(1)]);
    expect(t.pending).toBe(0);
    // A second response to the same id is unsolicited.
    expect(() => t.fulfil('BlockBodies', id, [])).toThrow(RequestError);
  });

  it.each([
    ['UNKNOWN_REQUEST', (t: RequestTracker, id: bigint) => t.fulfil('BlockHeaders', id + 1n, [])],
    ['WRONG_RESPONSE', (t: RequestTracker, id: bigint) => t.fulfil('BlockBodies', id, [])],
    [
      'TOO_MANY_ITEMS',
      (t: RequestTracker, id: bigint) =>
        t.fulfil('BlockHeaders', id, [new Uint8Array(), new Uint8Array()]),
    ],
  ])('throws %s for a response that breaks the rules', async (code, respond) => {
    const t = tracker();
    const { id, response } = t.track('BlockHeaders', 1);
    let thrown: unknown;
    try {
      respond(t, id);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(RequestError);
    expect((thrown as RequestError).code).toBe(code);
    if (code === 'UNKNOWN_REQUEST') {
      t.close();
      await rejection(response);
    } else {
      expect(await rejection(response)).toBe(thrown);
    }
  });

  it('times out on the injected clock, and drops a late response quietly', async () => {
    const clock = new SimulatedClock();
    const t = tracker(clock);
    const { id, response } = t.track('Receipts', 1);
    clock.advance(REQUEST_TIMEOUT_MS - 1);
    expect(t.pending).toBe(1);
    clock.advance(1);
    expect(await rejection(response)).toMatchObject({ code: 'TIMEOUT' });
    expect(t.pending).toBe(0);
    expect(clock.pending).toBe(0);
    expect(t.fulfil('Receipts', id, [])).toBe(false);
    // Only once: a second late response is unsolicited.
    expect(() => t.fulfil('Receipts', id, [])).toThrow(RequestError);
  });

  it('takes a per-request timeout', async () => {
    const clock = new SimulatedClock();
    const t = tracker(clock);
    const { response } = t.track('Receipts', 1, { timeoutMs: 10 });
    clock.advance(10);
    expect(await rejection(response)).toMatchObject({ code: 'TIMEOUT' });
  });

  it('cancels on abort with the signal reason and clears its timer', async () => {
    const clock = new SimulatedClock();
    const t = tracker(clock);
    const controller = new AbortController();
    const { id, response } = t.track('PooledTransactions', 3, { signal: controller.signal });
    const reason = new Error('cancelled');
    controller.abort(reason);
    expect(await rejection(response)).toBe(reason);
    expect(clock.pending).toBe(0);
    expect(t.fulfil('PooledTransactions', id, [])).toBe(false);
  });

  it('refuses an already aborted signal', () => {
    const t = tracker();
    const reason = new Error('early');
    expect(() => t.track('BlockHeaders', 1, { signal: AbortSignal.abort(reason) })).toThrow(reason);
    expect(t.pending).toBe(0);
  });

  it('bounds the requests in flight', () => {
    const t = tracker();
    const all = Array.from({ length: MAX_PENDING_REQUESTS }, () => t.track('BlockHeaders', 1));
    expect(() => t.track('BlockHeaders', 1)).toThrow(
      expect.objectContaining({ code: 'TOO_MANY_REQUESTS' }),
    );
    t.close();
    for (const r of all) r.response.catch(() => {});
  });

  it('rejects everything on close and refuses new requests', async () => {
    const clock = new SimulatedClock();
    const t = tracker(clock);
    const { response } = t.track('BlockHeaders', 1);
    t.close();
    expect(await rejection(response)).toMatchObject({ code: 'CLOSED' });
    expect(clock.pending).toBe(0);
    expect(() => t.track('BlockHeaders', 1)).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });

  it('checks its timeout (milliseconds) and its limit (an integer)', () => {
    const base = { clock: new SimulatedClock(), random: seededRandom(1) };
    expect(() => new RequestTracker({ ...base, timeoutMs: 0 })).toThrow(RangeError);
    expect(() => new RequestTracker({ ...base, timeoutMs: Number.NaN })).toThrow(RangeError);
    expect(() => new RequestTracker({ ...base, maxPending: 1.5 })).toThrow(RangeError);
    expect(() => tracker().track('BlockHeaders', 1, { timeoutMs: -1 })).toThrow(RangeError);
    const clock = new SimulatedClock();
    const t = new RequestTracker({ ...base, clock, timeoutMs: 1.5 });
    const { response } = t.track('BlockHeaders', 1);
    clock.advance(2);
    return expect(response).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});
