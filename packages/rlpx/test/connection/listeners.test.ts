/**
 * Many handshakes under one long-lived signal (a server's stop signal) must not pile listeners on
 * it: 50 in flight at once emit no `MaxListenersExceededWarning`, and each leaves nothing behind.
 * @module
 */
import { type Socket, connect as tcpConnect } from 'node:net';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDeadline } from '../../src/connection/deadline.ts';
import { accept, connect, type RlpxConnection } from '../../src/index.ts';
import { listen } from './loopback.ts';

const IN_FLIGHT = 50;

/** Records the process warnings emitted while the test runs. */
function recordWarnings(): Error[] {
  const seen: Error[] = [];
  const onWarning = (w: Error): void => {
    seen.push(w);
  };
  beforeEach(() => {
    seen.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
  });
  return seen;
}

const listenerWarnings = (seen: readonly Error[]): string[] =>
  seen.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message);

/** Turns enough for a warning (emitted on `process.nextTick`) to have been delivered. */
async function flushWarnings(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

describe('handshakes sharing one parent signal', () => {
  const warnings = recordWarnings();
  const opened: (Socket | RlpxConnection)[] = [];
  afterEach(() => {
    for (const s of opened.splice(0)) {
      if ('destroy' in s) s.destroy();
      else s.close();
    }
  });

  it(`${IN_FLIGHT} stalled handshakes in flight emit no MaxListenersExceededWarning`, async () => {
    const listener = await listen();
    const stop = new AbortController();
    const key = generatePrivateKey();
    // Peers that connect and never send their auth: every handshake waits at once.
    const settled: Promise<unknown>[] = [];
    for (let i = 0; i < IN_FLIGHT; i++) {
      const peer = tcpConnect(listener.port, '127.0.0.1');
      peer.on('error', () => {});
      opened.push(peer);
      const socket = await listener.next();
      opened.push(socket);
      settled.push(accept(socket, { privateKey: key, signal: stop.signal }).catch((e) => e));
    }
    listener.close();
    await flushWarnings();
    stop.abort(new Error('server stopped'));
    const results = await Promise.all(settled);
    expect(results.every((r) => r instanceof Error && r.message === 'server stopped')).toBe(true);
    await flushWarnings();
    expect(listenerWarnings(warnings)).toEqual([]);
  });

  it(`${IN_FLIGHT} concurrent complete handshakes emit no MaxListenersExceededWarning`, async () => {
    const listener = await listen();
    const stop = new AbortController();
    const recipientKey = generatePrivateKey();
    const pairs = Array.from({ length: IN_FLIGHT }, () =>
      Promise.all([
        connect('127.0.0.1', listener.port, publicKey(recipientKey), {
          privateKey: generatePrivateKey(),
          signal: stop.signal,
        }),
        listener.next().then((s) => accept(s, { privateKey: recipientKey, signal: stop.signal })),
      ]),
    );
    for (const [a, b] of await Promise.all(pairs)) opened.push(a, b);
    listener.close();
    await flushWarnings();
    expect(listenerWarnings(warnings)).toEqual([]);
  });

  it('a cleared deadline leaves no listener on its parent', async () => {
    const parent = new AbortController();
    const deadlines = Array.from({ length: IN_FLIGHT }, () =>
      startDeadline(5000, 'test', parent.signal),
    );
    for (const d of deadlines.slice(1)) d.clear();
    // The one still running aborts with the parent; the cleared ones do not.
    parent.abort(new Error('stopped'));
    await waitFor(() => deadlines[0]?.signal.aborted === true, {
      what: 'the live deadline aborted',
    });
    expect(deadlines.slice(1).some((d) => d.signal.aborted)).toBe(false);
    deadlines[0]?.clear();
    await flushWarnings();
    expect(listenerWarnings(warnings)).toEqual([]);
  });
});
