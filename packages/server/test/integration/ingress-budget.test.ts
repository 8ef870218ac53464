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

describe('server ingress budget', () => {
  it(
    'large messages from many peers never hold more than the pool; a small peer is served',
    async () => {
      const received: Uint8Array[] = [];
      let maxHeld = 0;
      const protocol: Protocol = {
        name: 'test',
        version: 1,
        length: 4,
        async run(_peer, rw: MsgReadWriter, { signal }: RunOptions): Promise<void> {
          while (!signal.aborted) {
            try {
              const msg = await rw.readMsg();
              received.push(msg.data);
            } catch {
              return;
            }
          }
        },
      };
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
});
