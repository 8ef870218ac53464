/**
 * Handshakes in flight share the server's stop signal: 50 inbound connections waiting in the
 * RLPx handshake at once must not pile listeners on it, so no `MaxListenersExceededWarning` is
 * emitted; a legitimate peer still gets through.
 * @module
 */
import { type Socket, connect as tcpConnect } from 'node:net';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey } from '@ethp2p/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawDial, serverStarter } from './helpers.ts';

const startServer = serverStarter();
const IN_FLIGHT = 50;

describe('Server with many handshakes in flight', () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error): void => {
    warnings.push(w);
  };
  const sockets: Socket[] = [];
  beforeEach(() => {
    warnings.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
    for (const s of sockets.splice(0)) s.destroy();
  });

  it(`${IN_FLIGHT} stalled inbound handshakes emit no MaxListenersExceededWarning`, async () => {
    const server = await startServer({
      maxPeers: 4 * IN_FLIGHT,
      maxPendingPeers: 2 * IN_FLIGHT,
      // All from 127.0.0.1: lift the per-IP pending cap so every handshake stays in flight.
      maxPendingPerIp: 2 * IN_FLIGHT,
    });
    const port = server.listenPort as number;
    // Connections that never send their auth: each holds a handshake in flight.
    let connected = 0;
    for (let i = 0; i < IN_FLIGHT; i++) {
      const s = tcpConnect(port, '127.0.0.1', () => connected++);
      s.on('error', () => {});
      sockets.push(s);
    }
    await waitFor(() => connected === IN_FLIGHT, { what: 'every stalled peer connected' });
    const legit = await rawDial(port, server.self().publicKey, generatePrivateKey());
    if (legit.ok) legit.conn.close();
    expect(legit.ok).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    const leaks = warnings.filter((w) => w.name === 'MaxListenersExceededWarning');
    expect(leaks.map((w) => w.message)).toEqual([]);
  });
});
