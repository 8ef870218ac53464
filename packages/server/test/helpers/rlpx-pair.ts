/**
 * Test fixtures shared by the server tests: a pair of connected RlpxConnections over loopback
 * (127.0.0.1, port 0) and a Hello for either side.
 * @module
 */
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { accept, connect, type RlpxConnection, type RlpxConnectionOptions } from '@ethp2p/rlpx';
import type { Cap } from '../../src/protocol.ts';
import type { Hello } from '../../src/wire/hello.ts';

/** Two connected ends: `initiator` dialed `recipient`. */
export interface RlpxPair {
  readonly initiator: RlpxConnection;
  readonly recipient: RlpxConnection;
  /** The raw socket under `recipient`, for tests that look at the wire. */
  readonly recipientSocket: Socket;
  readonly initiatorKey: Uint8Array;
  readonly recipientKey: Uint8Array;
}

/** Options of {@link rlpxPair}: connection options per side (e.g. a `clock`). */
export interface RlpxPairOptions {
  readonly initiator?: RlpxConnectionOptions;
  readonly recipient?: RlpxConnectionOptions;
}

const opened: RlpxConnection[] = [];

/**
 * Listens on 127.0.0.1:0, dials it and runs both handshakes; the listener is closed before
 * this resolves. Every pair is remembered for {@link closePairs}.
 */
export async function rlpxPair(options: RlpxPairOptions = {}): Promise<RlpxPair> {
  const initiatorKey = generatePrivateKey();
  const recipientKey = generatePrivateKey();
  const signal = AbortSignal.timeout(10_000);
  const server = createServer();
  try {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening', { signal });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const inbound = once(server, 'connection', { signal }).then(([s]) => s as Socket);
    const [initiator, recipient] = await Promise.all([
      connect('127.0.0.1', address.port, publicKey(recipientKey), {
        ...options.initiator,
        privateKey: initiatorKey,
        signal,
      }),
      inbound.then((s) => accept(s, { ...options.recipient, privateKey: recipientKey, signal })),
    ]);
    opened.push(initiator, recipient);
    return { initiator, recipient, recipientSocket: await inbound, initiatorKey, recipientKey };
  } finally {
    server.close();
  }
}

/** Closes every connection {@link rlpxPair} made (call it in `afterEach`). */
export function closePairs(): void {
  for (const c of opened.splice(0)) c.close();
}

/** A p2p v5 Hello from the holder of `privateKey`. */
export function helloFrom(privateKey: Uint8Array, caps: readonly Cap[] = [], name = 'test'): Hello {
  return { version: 5, name, caps, listenPort: 0, id: publicKey(privateKey) };
}
