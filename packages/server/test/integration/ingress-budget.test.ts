/**
 * Issue 15, attack 2 in small: many peers send large messages at once. The server's shared
 * ingress budget bounds the bytes of large messages being received at a time, and a peer
 * sending small messages keeps being served meanwhile.
 */
import { randomBytes } from 'node:crypto';
import { waitFor } from '@ethp2p/base/testing';
import { equalBytes, generatePrivateKey } from '@ethp2p/crypto';
import type { RlpxConnection } from '@ethp2p/rlpx';
import { afterEach, describe, expect, it } from 'vitest';
import type { MsgReadWriter, Protocol, RunOptions } from '../../src/protocol.ts';
import type { Server } from '../../src/server/server.ts';
import { BaseMsgCode } from '../../src/wire/index.ts';
import { rawDial, serverStarter, WAIT_MS } from './helpers.ts';

const startServer = serverStarter();
const opened: RlpxConnection[] = [];
afterEach(() => {
  for (const c of opened.splice(0)) c.close();
});

/** The test protocol's first code on the wire (after the 16 base protocol codes). */
const TEST_CODE = 0x10;
const SENDERS = 6;
const ROUNDS = 2;
const SIZE = 200_000;
const BUDGET = 500_000;

/** A protocol that reads every message into `received`, awaiting `after` before each next read. */
function collecting(
  received: Uint8Array[],
  after?: (signal: AbortSignal) => Promise<void>,
): Protocol {
  return {
    name: 'test',
    version: 1,
    length: 4,
    async run(_peer, rw: MsgReadWriter, { signal }: RunOptions): Promise<void> {
      while (!signal.aborted) {
        try {
          received.push((await rw.readMsg()).data);
        } catch {
          return;
        }
        await after?.(signal);
      }
    },
  };
}

/** A server running `protocol` with a {@link BUDGET} pool, and a raw RLPx client dialer. */
async function budgetedServer(
  protocol: Protocol,
): Promise<{ server: Server; dial: () => Promise<RlpxConnection> }> {
  const server = await startServer({
    protocols: [protocol],
    ingressBudgetBytes: BUDGET,
    ingressThresholdBytes: 1024,
  });
  const port = server.listenPort as number;
  const dial = async (): Promise<RlpxConnection> => {
    const out = await rawDial(port, server.publicKey, generatePrivateKey());
    if (!out.ok) throw out.error;
    opened.push(out.conn);
    return out.conn;
  };
  return { server, dial };
}

describe('server ingress budget', () => {
  it(
    'large messages from many peers never hold more than the pool; a small peer is served',
    async () => {
      const received: Uint8Array[] = [];
      let maxHeld = 0;
      const protocol = collecting(received);
      const { server, dial } = await budgetedServer(protocol);
      const senders = await Promise.all(Array.from({ length: SENDERS }, dial));
      const chatty = await dial();
      await waitFor(() => server.peerCount() === SENDERS + 1, { what: 'every client is a peer' });

      // Incompressible payloads: the frames on the wire are as large as the messages.
      const payloads = senders.map(() => Array.from({ length: ROUNDS }, () => randomBytes(SIZE)));
      for (const [i, conn] of senders.entries()) {
        for (const p of payloads[i] ?? []) conn.writeMsg(TEST_CODE, p).catch(() => {});
      }
      // The small peer pings and gets its pongs while the large messages are let in.
      let pongs = 0;
      while (received.length < SENDERS * ROUNDS) {
        if (pongs > 5_000) throw new Error('large messages never all arrived');
        await chatty.writeMsg(BaseMsgCode.Ping, Uint8Array.of(0xc0));
        const reply = await chatty.readMsg();
        expect(reply.code).toBe(BaseMsgCode.Pong);
        pongs++;
        maxHeld = Math.max(maxHeld, server.ingressMetrics.heldBytes);
      }
      expect(pongs).toBeGreaterThan(0);
      expect(maxHeld).toBeLessThanOrEqual(BUDGET);
      const m = server.ingressMetrics;
      expect(m.peakHeldBytes).toBeLessThanOrEqual(BUDGET);
      expect(m.grants).toBe(SENDERS * ROUNDS);
      expect(m.waits).toBeGreaterThan(0);
      for (const p of payloads.flat()) {
        expect(received.some((r) => equalBytes(r, p))).toBe(true);
      }
      // Dropping the peers hands every grant back.
      for (const c of senders) c.close();
      await waitFor(() => server.peerCount() === 1, { what: 'the senders are gone' });
      expect(server.ingressMetrics.heldBytes).toBe(0);
    },
    WAIT_MS * 2,
  );

  it('a message keeps its room until its protocol reads the next one', async () => {
    const received: Uint8Array[] = [];
    let next: () => void = () => {};
    // Handles one message at a time, slowly: the next read waits for the test (or the end).
    const protocol = collecting(
      received,
      (signal) =>
        new Promise<void>((resolve) => {
          next = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        }),
    );
    const { server, dial } = await budgetedServer(protocol);
    const [a, b] = [await dial(), await dial()];
    await waitFor(() => server.peerCount() === 2, { what: 'both clients are peers' });
    const send = (c: RlpxConnection): void => {
      c.writeMsg(TEST_CODE, randomBytes(SIZE)).catch(() => {});
    };
    send(a);
    send(a);
    await waitFor(() => received.length === 1 && server.ingressMetrics.heldBytes >= 2 * SIZE, {
      what: "a's first message handled slowly, its second read and waiting for the protocol",
    });
    // Both of a's messages hold their room: b's does not fit beside them.
    send(b);
    await waitFor(() => server.ingressMetrics.waiting === 1, { what: "b's message waits" });
    expect(received).toHaveLength(1);

    // The protocol reads again: the first message's room goes back, b's message comes in.
    next();
    await waitFor(() => server.ingressMetrics.waiting === 0, { what: "b's message let in" });
    expect(server.ingressMetrics.heldBytes).toBeGreaterThanOrEqual(2 * SIZE);
    expect(server.ingressMetrics.peakHeldBytes).toBeLessThanOrEqual(BUDGET);

    // Peers that end hand back the room of what they hold, read or not.
    a.close();
    b.close();
    await waitFor(() => server.peerCount() === 0, { what: 'the peers are gone' });
    expect(server.ingressMetrics.heldBytes).toBe(0);
  });
});
