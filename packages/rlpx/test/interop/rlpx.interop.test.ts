/**
 * Interop with @ethereumjs/devp2p's RLPx on loopback, in both directions (issue 4 §5): the
 * handshake, the p2p Hello (version 5, eth/68), snappy, Ping/Pong, an eth Status exchange, and eth
 * messages up to 1 MiB both ways, then our Disconnect.
 *
 * What ethereumjs makes observable: its `ETH` object (created once both Hellos are in) emits
 * `status` after a Status exchange that passes its checks, and `message(code, rlpDecodedPayload)`
 * for the Status and the eth/68 codes it accepts (Transactions, code 2, here); `ETH#sendMessage` sends an eth message
 * from its side; its peer answers our Ping with a Pong; `peer:removed` reports the Disconnect
 * reason it received. Everything waits on events under `AbortSignal.timeout`; nothing sleeps.
 */

import type { Peer } from '@ethereumjs/devp2p';
import { RLP } from '@ethereumjs/rlp';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { accept, connect, type RlpxConnection, type RlpxMessage } from '../../src/index.ts';
import { listen } from '../connection/loopback.ts';
import {
  createEjsNode,
  type EjsNode,
  EventQueue,
  ethOf,
  listenEjs,
  within,
} from '../helpers/ethereumjs.ts';
import {
  DISCONNECT_CODE,
  decodeHello,
  encodeHello,
  HELLO_CODE,
  PING_CODE,
  PONG_CODE,
} from '../helpers/hello.ts';

/** eth/68 sits right after the 16 p2p base codes. */
const ETH_OFFSET = 16;
const ETH_STATUS = 0;
const ETH_TRANSACTIONS = 2;
const CLIENT_QUITTING = 0x08;
const EMPTY_LIST = Uint8Array.of(0xc0);
const OUR_CLIENT_ID = 'ethp2p-interop/0.1.0';

/** Transactions payload contents: several sizes up to 1 MiB, random except one compressible. */
function contents(): Uint8Array[] {
  const random = (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 65_536) crypto.getRandomValues(out.subarray(i, i + 65_536));
    return out;
  };
  return [
    new Uint8Array(0),
    random(1),
    random(1024),
    random(16 * 1024),
    new Uint8Array(256 * 1024).fill(0x5a),
    random(1024 * 1024),
  ];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/** One `readMsg` bounded by the signal (a read left pending is rejected by `close`, and ignored). */
function read(conn: RlpxConnection, signal: AbortSignal): Promise<RlpxMessage> {
  const msg = conn.readMsg();
  msg.catch(() => {});
  return within(msg, signal);
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function startEjs(): EjsNode {
  const ejs = createEjsNode(generatePrivateKey());
  cleanups.push(() => ejs.rlpx.destroy());
  return ejs;
}

/** Sends our Hello, reads theirs, checks it, and switches snappy on (both sides are version 5). */
async function helloExchange(
  conn: RlpxConnection,
  ourKey: Uint8Array,
  ejs: EjsNode,
  signal: AbortSignal,
): Promise<Peer> {
  await conn.writeMsg(
    HELLO_CODE,
    encodeHello({
      version: 5,
      clientId: OUR_CLIENT_ID,
      caps: [{ name: 'eth', version: 68 }],
      listenPort: 0,
      id: publicKey(ourKey),
    }),
  );
  const msg = await read(conn, signal);
  expect(msg.code).toBe(HELLO_CODE);
  const hello = decodeHello(msg.data);
  expect(hello.version).toBe(5);
  expect(hello.clientId).toMatch(/^ethereumjs-devp2p\//);
  expect(hello.caps).toContainEqual({ name: 'eth', version: 68 });
  expect(sameBytes(hello.id, publicKey(ejs.privateKey))).toBe(true);
  expect(sameBytes(conn.remotePublicKey, publicKey(ejs.privateKey))).toBe(true);
  expect(hello.version).toBeGreaterThanOrEqual(5);
  conn.enableSnappy();

  // Its side: the peer is added once both Hellos are in, and it saw ours as sent.
  const peer = await ejs.added.next(signal);
  const theirView = peer.getHelloMessage();
  expect(theirView?.protocolVersion).toBe(5);
  expect(theirView?.clientId).toBe(OUR_CLIENT_ID);
  expect(theirView?.capabilities).toEqual([{ name: 'eth', version: 68 }]);
  expect(sameBytes(peer.getId() ?? new Uint8Array(0), publicKey(ourKey))).toBe(true);
  return peer;
}

/** Everything after the Hellos: Ping/Pong, Status, eth messages both ways, our Disconnect. */
async function exchange(
  conn: RlpxConnection,
  peer: Peer,
  ejs: EjsNode,
  signal: AbortSignal,
): Promise<void> {
  // Ping → Pong (both snappy-compressed on the wire).
  await conn.writeMsg(PING_CODE, EMPTY_LIST);
  const pong = await read(conn, signal);
  expect(pong.code).toBe(PONG_CODE);
  expect(pong.data).toEqual(EMPTY_LIST);

  // eth Status: it sends one, we echo it back; its `status` event says it accepted ours.
  const eth = ethOf(peer);
  const received = new EventQueue<{ code: number; payload: Uint8Array }>();
  eth.events.on('message', (code, payload) =>
    received.push({ code, payload: RLP.encode(payload) }),
  );
  const statusAccepted = within(
    new Promise<void>((resolve) => eth.events.once('status', () => resolve())),
    signal,
  );
  eth.sendStatus({
    td: Uint8Array.of(1),
    bestHash: new Uint8Array(32).fill(0x11),
    genesisHash: new Uint8Array(32).fill(0x22),
  });
  const status = await read(conn, signal);
  expect(status.code).toBe(ETH_OFFSET + ETH_STATUS);
  const fields = RLP.decode(status.data);
  expect(Array.isArray(fields) && fields[0]).toEqual(Uint8Array.of(68));
  await conn.writeMsg(ETH_OFFSET + ETH_STATUS, status.data);
  await statusAccepted;
  // Its ETH object emits the Status as a `message` too (after checking it).
  const echoed = await received.next(signal);
  expect(echoed.code).toBe(ETH_STATUS);
  expect(sameBytes(echoed.payload, status.data)).toBe(true);

  // Us → it: its ETH object emits each Transactions message with the payload we sent.
  const sent = contents().map((c) => RLP.encode([c]));
  for (const payload of sent) await conn.writeMsg(ETH_OFFSET + ETH_TRANSACTIONS, payload);
  for (const payload of sent) {
    const got = await received.next(signal);
    expect(got.code).toBe(ETH_TRANSACTIONS);
    expect(got.payload.length).toBe(payload.length);
    expect(sameBytes(got.payload, payload)).toBe(true);
  }

  // It → us: we read each of its Transactions messages intact.
  const theirs = contents();
  for (const c of theirs) eth.sendMessage(ETH_TRANSACTIONS, [c]);
  for (const c of theirs) {
    const msg = await read(conn, signal);
    expect(msg.code).toBe(ETH_OFFSET + ETH_TRANSACTIONS);
    const expected = RLP.encode([c]);
    expect(msg.data.length).toBe(expected.length);
    expect(sameBytes(msg.data, expected)).toBe(true);
  }

  // Our Disconnect: it records the reason, ends the socket, and our reads end with nothing more.
  await conn.writeMsg(DISCONNECT_CODE, RLP.encode([CLIENT_QUITTING]));
  const removed = await ejs.removed.next(signal);
  expect(removed).toEqual({ reason: CLIENT_QUITTING, disconnectWe: false });
  const rest: RlpxMessage[] = [];
  for await (const msg of conn) rest.push(msg);
  expect(rest).toEqual([]);
  expect(conn.closed).toBe(true);

  expect(received.size).toBe(0);
  expect(ejs.errors).toEqual([]);
}

describe('RLPx interop with @ethereumjs/devp2p', () => {
  it('our initiator → its listener: handshake, Hello, snappy, Ping/Pong, eth messages', async () => {
    const signal = AbortSignal.timeout(15_000);
    const ejs = startEjs();
    const port = await listenEjs(ejs.rlpx, signal);
    const ourKey = generatePrivateKey();
    const conn = await connect('127.0.0.1', port, publicKey(ejs.privateKey), {
      privateKey: ourKey,
      signal,
    });
    cleanups.push(() => conn.close());
    const peer = await helloExchange(conn, ourKey, ejs, signal);
    await exchange(conn, peer, ejs, signal);
  });

  it('its dialer → our recipient: handshake, Hello, snappy, Ping/Pong, eth messages', async () => {
    const signal = AbortSignal.timeout(15_000);
    const ejs = startEjs();
    const listener = await listen();
    cleanups.push(() => listener.close());
    const ourKey = generatePrivateKey();
    const [, conn] = await Promise.all([
      within(
        ejs.rlpx.connect({ id: publicKey(ourKey), address: '127.0.0.1', tcpPort: listener.port }),
        signal,
      ),
      within(listener.next(), signal).then((socket) =>
        accept(socket, { privateKey: ourKey, signal }),
      ),
    ]);
    cleanups.push(() => conn.close());
    expect(sameBytes(conn.remotePublicKey, publicKey(ejs.privateKey))).toBe(true);
    const peer = await helloExchange(conn, ourKey, ejs, signal);
    await exchange(conn, peer, ejs, signal);
  });
});
