import { once } from 'node:events';
import { Socket, connect as tcpConnect } from 'node:net';
import { RLP } from '@ethereumjs/rlp';
import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey, randomBytes } from '@ethp2p/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuth, recipientHandshake } from '../../src/handshake/index.ts';
import { sealEip8 } from '../../src/handshake/packet.ts';
import { accept, connect, type RlpxConnection } from '../../src/index.ts';
import { closed, type Listener, listen, pair } from './loopback.ts';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

/** A listener plus a raw client socket connected to it, and the accepted server socket. */
async function rawPair(): Promise<{ listener: Listener; client: Socket; server: Socket }> {
  const listener = await listen();
  const client = tcpConnect({ host: '127.0.0.1', port: listener.port });
  client.on('error', () => {});
  cleanup.push(() => {
    client.destroy();
    listener.close();
  });
  await once(client, 'connect', { signal: AbortSignal.timeout(10_000) });
  return { listener, client, server: await listener.next() };
}

/** Sends `bytes` to a recipient; returns its accept() failure and checks both sockets close. */
async function recipientRejects(bytes: Uint8Array, timeoutMs?: number): Promise<unknown> {
  const { client, server } = await rawPair();
  const key = generatePrivateKey();
  client.write(bytes);
  const err = await accept(server, {
    privateKey: key,
    signal: AbortSignal.timeout(10_000),
    ...(timeoutMs === undefined ? {} : { handshakeTimeoutMs: timeoutMs }),
  }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(server.destroyed).toBe(true);
  await closed(server);
  await closed(client);
  return err;
}

function track(...conns: RlpxConnection[]): void {
  cleanup.push(() => {
    for (const c of conns) c.close();
  });
}

describe('handshake rejections (the socket is destroyed every time)', () => {
  it('garbage with a plausible size prefix: BAD_KEY or BAD_MAC', async () => {
    const garbage = new Uint8Array(2 + 300);
    garbage.set([0x01, 0x2c]);
    garbage.set(randomBytes(300), 2);
    expect(await recipientRejects(garbage)).toMatchObject({
      name: 'RlpxError',
      code: expect.stringMatching(/^BAD_(KEY|MAC)$/),
    });
  });

  it('a size prefix over 2048: MESSAGE_TOO_BIG before the body is read', async () => {
    // Only the prefix is sent, and the default 5 s deadline would fire much later than the
    // guard, so a MESSAGE_TOO_BIG here means the body was never waited for.
    expect(await recipientRejects(new Uint8Array([0x08, 0x01]))).toMatchObject({
      code: 'MESSAGE_TOO_BIG',
    });
  });

  it('a stalled initiator: TIMEOUT after the injected deadline', async () => {
    expect(await recipientRejects(new Uint8Array(0), 200)).toMatchObject({ code: 'TIMEOUT' });
  });

  it('a stalled recipient: the dialer times out', async () => {
    const listener = await listen();
    cleanup.push(() => listener.close());
    const dial = connect('127.0.0.1', listener.port, publicKey(generatePrivateKey()), {
      privateKey: generatePrivateKey(),
      signal: AbortSignal.timeout(10_000),
      handshakeTimeoutMs: 200,
    });
    const server = await listener.next();
    await expect(dial).rejects.toMatchObject({ code: 'TIMEOUT' });
    await closed(server);
  });

  it('abort via the signal: rejects with its reason', async () => {
    const { server, client } = await rawPair();
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = accept(server, { privateKey: generatePrivateKey(), signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(server.destroyed).toBe(true);
    await closed(client);
  });

  it('an already aborted dial signal throws before connecting', async () => {
    const reason = new Error('aborted');
    await expect(
      connect('127.0.0.1', 1, publicKey(generatePrivateKey()), {
        privateKey: generatePrivateKey(),
        signal: AbortSignal.abort(reason),
      }),
    ).rejects.toBe(reason);
  });

  it('a tampered auth ciphertext: BAD_MAC', async () => {
    const { client, server } = await rawPair();
    const key = generatePrivateKey();
    const auth = createAuth({ privateKey: generatePrivateKey(), remotePublicKey: publicKey(key) });
    const packet = auth.packet.slice();
    packet[packet.length - 40] = (packet[packet.length - 40] as number) ^ 1;
    client.write(packet);
    const signal = AbortSignal.timeout(10_000);
    await expect(accept(server, { privateKey: key, signal })).rejects.toMatchObject({
      code: 'BAD_MAC',
    });
    await closed(server);
  });

  it('an auth with an unrecoverable signature: BAD_SIGNATURE', async () => {
    const { client, server } = await rawPair();
    const key = generatePrivateKey();
    const body = RLP.encode([
      new Uint8Array(65),
      publicKey(generatePrivateKey()),
      randomBytes(32),
      4,
    ]);
    client.write(sealEip8(publicKey(key), body));
    const signal = AbortSignal.timeout(10_000);
    await expect(accept(server, { privateKey: key, signal })).rejects.toMatchObject({
      code: 'BAD_SIGNATURE',
    });
    await closed(server);
  });

  it('a dial with the wrong remote key: the recipient cannot decrypt', async () => {
    const listener = await listen();
    cleanup.push(() => listener.close());
    const signal = AbortSignal.timeout(10_000);
    const dial = connect('127.0.0.1', listener.port, publicKey(generatePrivateKey()), {
      privateKey: generatePrivateKey(),
      signal,
    });
    const server = await listener.next();
    const [dialed, accepted] = await Promise.allSettled([
      dial,
      accept(server, { privateKey: generatePrivateKey(), signal }),
    ]);
    expect(accepted).toMatchObject({ status: 'rejected', reason: { code: 'BAD_MAC' } });
    expect(dialed).toMatchObject({ status: 'rejected', reason: { code: 'CLOSED' } });
    await closed(server);
  });

  it('a peer that closes mid-handshake: CLOSED', async () => {
    const { client, server } = await rawPair();
    client.end(new Uint8Array([0x01, 0x2c, 1, 2, 3]));
    const signal = AbortSignal.timeout(10_000);
    await expect(
      accept(server, { privateKey: generatePrivateKey(), signal }),
    ).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

describe('handshake options', () => {
  it.each([0, -1, Number.NaN])('rejects handshakeTimeoutMs %s with a RangeError', async (ms) => {
    const socket = new Socket();
    const options = { privateKey: generatePrivateKey(), handshakeTimeoutMs: ms };
    await expect(recipientHandshake(socket, options)).rejects.toThrow(RangeError);
    await expect(recipientHandshake(socket, options)).rejects.toThrow(/^timeout: expected/);
  });
});

describe('frame rejections after the handshake (the connection closes)', () => {
  it('garbage in place of a frame header: BAD_HEADER_MAC', async () => {
    // The recipient's raw socket sends the garbage; the initiator reads it.
    const { initiator, recipient, recipientSocket } = await pair();
    track(initiator, recipient);
    await recipient.writeMsg(0x10, new Uint8Array(5));
    await initiator.readMsg();
    recipientSocket.write(randomBytes(64));
    await expect(initiator.readMsg()).rejects.toMatchObject({ code: 'BAD_HEADER_MAC' });
    expect(initiator.closeReason?.code).toBe('BAD_HEADER_MAC');
    await initiator.whenClosed();
    await expect(initiator.readMsg()).rejects.toMatchObject({ code: 'BAD_HEADER_MAC' });
    await expect(recipient.readMsg()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('an authenticated header announcing an oversize frame: FRAME_TOO_LARGE', async () => {
    const { initiator, recipient } = await pair({}, { maxSize: 1024 });
    track(initiator, recipient);
    await initiator.writeMsg(0x10, new Uint8Array(4096));
    await expect(recipient.readMsg()).rejects.toMatchObject({ code: 'FRAME_TOO_LARGE' });
    await recipient.whenClosed();
  });

  it('a payload that is not snappy once snappy is on: SNAPPY', async () => {
    const { initiator, recipient } = await pair();
    track(initiator, recipient);
    recipient.enableSnappy();
    await initiator.writeMsg(0x10, new Uint8Array(64).fill(0xff));
    await expect(recipient.readMsg()).rejects.toMatchObject({ code: 'SNAPPY' });
    await recipient.whenClosed();
  });

  it('an idle reader: TIMEOUT after the injected read timeout', async () => {
    const { initiator, recipient } = await pair({}, { readTimeoutMs: 200 });
    track(initiator, recipient);
    await expect(recipient.readMsg()).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(recipient.readTimedOut).toBe(true);
    await recipient.whenClosed();
    await expect(initiator.readMsg()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('runs the read timeout on the injected clock', async () => {
    const clock = new SimulatedClock(0);
    const { initiator, recipient } = await pair({}, { clock, readTimeoutMs: 30_000 });
    track(initiator, recipient);
    const read = recipient.readMsg();
    await waitFor(() => clock.pending === 1, { what: 'the read timer is set' });
    clock.advance(29_999);
    expect(recipient.closed).toBe(false);
    clock.advance(1);
    await expect(read).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(clock.pending).toBe(0);
  });
});
