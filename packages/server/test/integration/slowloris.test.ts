/**
 * Issue 15, finding 3: slowloris on the pending handshake slots. Stalled TCP connections (they
 * connect and send nothing), reopened as soon as they close, come from other loopback addresses
 * (127.0.0.2 and up; Linux routes all of 127/8 to lo), exempt from the inbound throttle like any
 * LAN address; the legitimate peer dials from 127.0.0.1 and must complete its RLPx handshake and
 * Hello while they hold their slots.
 */
import { once } from 'node:events';
import { type Socket, connect as tcpConnect } from 'node:net';
import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey } from '@ethp2p/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from '../../src/server/server.ts';
import { rawDial, serverStarter } from './helpers.ts';

const startServer = serverStarter();

/** Connections the attack may open in one test, reopenings included: the loop ends by itself. */
const MAX_OPENINGS = 2_000;

/** Stalled connections to `port`, each reopened from its address as soon as it closes. */
class Stallers {
  readonly #port: number;
  readonly #sockets = new Set<Socket>();
  #openings = 0;
  #stopped = false;

  constructor(port: number, addresses: readonly string[]) {
    this.#port = port;
    for (const address of addresses) this.#open(address);
  }

  /** Connections opened so far, reopenings included. */
  get openings(): number {
    return this.#openings;
  }

  #open(localAddress: string): void {
    if (this.#stopped || this.#openings >= MAX_OPENINGS) return;
    this.#openings++;
    const socket = tcpConnect({ host: '127.0.0.1', port: this.#port, localAddress });
    this.#sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#sockets.delete(socket);
      this.#open(localAddress);
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const closing = [...this.#sockets].map((s) => (s.closed ? undefined : once(s, 'close')));
    for (const s of this.#sockets) s.destroy();
    await Promise.all(closing);
  }
}

const attacks: Stallers[] = [];
afterEach(async () => {
  await Promise.all(attacks.splice(0).map((a) => a.stop()));
});

function port(server: Server): number {
  return server.listenPort as number;
}

/** `count` addresses from 127.0.0.`first` on, each repeated `each` times. */
function addresses(first: number, count: number, each: number): string[] {
  return Array.from({ length: count * each }, (_, i) => `127.0.0.${first + Math.floor(i / each)}`);
}

/** The legitimate peer: an RLPx handshake and Hello from 127.0.0.1. */
async function legitimateHandshake(server: Server): Promise<void> {
  const outcome = await rawDial(port(server), server.self().publicKey, generatePrivateKey());
  if (!outcome.ok) throw outcome.error;
  outcome.conn.close();
}

describe('slowloris on the pending slots (issue 15, finding 3)', () => {
  it('50 stalled connections from one IP hold no more than its cap; a peer still handshakes', async () => {
    const server = await startServer({ maxPendingPerIp: 4 });
    const attack = new Stallers(port(server), addresses(2, 1, 50));
    attacks.push(attack);
    await waitFor(() => server.inboundMetrics.refused.ipPendingLimit >= 46, {
      what: 'the stalled connections are past the per-IP cap',
    });
    expect(server.inboundMetrics.pending).toBe(4);

    await legitimateHandshake(server);
    expect(server.inboundMetrics.refused.pendingLimit).toBe(0);
  });

  it('50 stalled connections holding every slot: a new IP displaces the most stalled one', async () => {
    const server = await startServer({ maxPendingPeers: 50, maxPendingPerIp: 5 });
    // Ten addresses, five connections each: all 50 slots.
    const attack = new Stallers(port(server), addresses(2, 10, 5));
    attacks.push(attack);
    await waitFor(() => server.inboundMetrics.pending === 50, {
      what: 'the stalled connections hold every slot',
    });

    await legitimateHandshake(server);
    const m = server.inboundMetrics;
    expect(m.evicted).toBeGreaterThanOrEqual(1);
    // The reopened stallers found their IP still pending, or every slot taken: refused.
    expect(m.pending).toBeLessThanOrEqual(50);
    expect(attack.openings).toBeGreaterThan(50);
  });

  it('closes a pending connection that reads nothing for the idle timeout, not one that trickles', async () => {
    const clock = new SimulatedClock(1_000_000);
    const server = await startServer({
      clock,
      handshakeIdleTimeoutMs: 1_000,
      handshakeTimeoutMs: 60_000,
    });
    const silent = tcpConnect({ host: '127.0.0.1', port: port(server) });
    const trickle = tcpConnect({ host: '127.0.0.1', port: port(server) });
    for (const s of [silent, trickle]) s.on('error', () => {});
    await Promise.all([once(silent, 'connect'), once(trickle, 'connect')]);
    await waitFor(() => server.inboundMetrics.pending === 2, { what: 'both are pending' });

    // One byte every 250 ms of simulated time: the EIP-8 size prefix of a 256-byte auth, then
    // zeros of its body.
    const stepMs = 250;
    let sent = 0;
    await waitFor(
      () => {
        if (!trickle.closed && sent < 40) {
          trickle.write(Uint8Array.of(sent === 0 ? 0x01 : 0x00));
          sent++;
        }
        return silent.closed;
      },
      { what: 'the silent connection is closed', clock: { clock, stepMs, maxMs: 5_000 } },
    );
    expect(server.inboundMetrics.idleTimeouts).toBe(1);
    expect(trickle.closed).toBe(false);
    // Silence from now on: the trickling one is closed too.
    await waitFor(() => trickle.closed, {
      what: 'the trickling connection, now silent, is closed',
      clock: { clock, stepMs, maxMs: 5_000 },
    });
    expect(server.inboundMetrics.idleTimeouts).toBe(2);
  });
});
