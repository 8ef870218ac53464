/**
 * Many Hello exchanges under one long-lived signal (the server's stop signal, one exchange per
 * inbound connection) must cost it one `abort` listener in all: more than 10 in flight emit no
 * `MaxListenersExceededWarning`, and each leaves nothing behind when it settles.
 * @module
 */
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exchangeHello } from '../../src/wire/index.ts';
import { closePairs, helloFrom, type RlpxPair, rlpxPair } from '../helpers/rlpx-pair.ts';

afterEach(closePairs);

const IN_FLIGHT = 12;

describe('Hello exchanges sharing one parent signal', () => {
  it(`${IN_FLIGHT} stalled exchanges hold one listener and emit no warning`, async () => {
    const onWarning = vi.fn<(w: Error) => void>();
    process.on('warning', onWarning);
    try {
      const pairs: RlpxPair[] = [];
      for (let i = 0; i < IN_FLIGHT; i++) pairs.push(await rlpxPair());
      const stop = new AbortController();
      // Only the recipients exchange: the initiators never send their Hello, so all wait at once.
      const settled = pairs.map((p) =>
        exchangeHello(p.recipient, helloFrom(p.recipientKey), { signal: stop.signal }).catch(
          (e: unknown) => e,
        ),
      );
      expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
      const reason = new Error('server stopped');
      stop.abort(reason);
      expect(await Promise.all(settled)).toEqual(Array(IN_FLIGHT).fill(reason));
      await new Promise((resolve) => setImmediate(resolve));
      const names = onWarning.mock.calls.map(([w]) => w.name);
      expect(names).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('completed exchanges leave no listener on the parent', async () => {
    const stop = new AbortController();
    const pairs: RlpxPair[] = [];
    for (let i = 0; i < IN_FLIGHT; i++) pairs.push(await rlpxPair());
    await Promise.all(
      pairs.flatMap((p) => [
        exchangeHello(p.initiator, helloFrom(p.initiatorKey), { signal: stop.signal }),
        exchangeHello(p.recipient, helloFrom(p.recipientKey), { signal: stop.signal }),
      ]),
    );
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });
});
