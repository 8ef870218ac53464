/**
 * The socket handler never throws, whatever the source of a datagram (STYLE §4, geth `readLoop`):
 * sources we cannot answer are dropped as `bad-source`, and an unexpected throw while handling is
 * counted and swallowed.
 */
import { SimulatedClock, silentLogger } from '@ethp2p/base';
import { generatePrivateKey } from '@ethp2p/crypto';
import { LocalNode, NodeDatabase } from '@ethp2p/enode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscoveryV4 } from '../../src/service/discovery.ts';
import type {
  DatagramAddress,
  DatagramHandler,
  DatagramSocket,
} from '../../src/transport/datagram.ts';
import { checkDestination } from '../../src/transport/datagram.ts';
import { decodePacket, encodePacket, expirationFromNow } from '../../src/wire/index.ts';
import { START_MS, settle } from './helpers.ts';

/** A socket driven by the test: `deliver` calls the service's handler synchronously. */
class FakeSocket implements DatagramSocket {
  readonly local: DatagramAddress = { address: '10.0.0.1', port: 30303 };
  readonly sent: { data: Uint8Array; to: DatagramAddress }[] = [];
  /** When set, the next `send` throws it (a failing socket). */
  failNext: Error | undefined;
  #handler: DatagramHandler | undefined;

  send(data: Uint8Array, to: DatagramAddress): void {
    const fail = this.failNext;
    this.failNext = undefined;
    if (fail !== undefined) throw fail;
    checkDestination(to); // as the real sockets do
    this.sent.push({ data, to });
  }

  onMessage(handler: DatagramHandler): void {
    this.#handler = handler;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  deliver(data: Uint8Array, from: DatagramAddress): void {
    this.#handler?.(data, from);
  }
}

let clock: SimulatedClock;
let socket: FakeSocket;
let service: DiscoveryV4;
let close: () => Promise<void>;
const remoteKey = generatePrivateKey();

function signedPing(): Uint8Array {
  return encodePacket(
    {
      type: 'ping',
      version: 4n,
      from: { ip: '10.0.0.2', udp: 30303, tcp: 0 },
      to: { ip: '10.0.0.1', udp: 30303, tcp: 0 },
      expiration: expirationFromNow(clock.now()),
    },
    remoteKey,
  ).bytes;
}

beforeEach(async () => {
  clock = new SimulatedClock(START_MS);
  socket = new FakeSocket();
  const privateKey = generatePrivateKey();
  const db = await NodeDatabase.open({ clock });
  const localNode = await LocalNode.create({ privateKey, db, clock });
  localNode.setFallbackIp('10.0.0.1');
  localNode.setFallbackUdpPort(30303);
  service = new DiscoveryV4({ privateKey, localNode, db, socket, clock, logger: silentLogger });
  await service.start();
  close = async () => {
    await service.stop();
    await localNode.close();
    await db.close();
  };
});

afterEach(async () => {
  await close();
});

describe('datagram sources', () => {
  it('drops a valid ping from a scoped IPv6 source or port 0 without throwing, counted', async () => {
    const sources = [
      { address: 'fe80::1%eth0', port: 30303 },
      { address: '10.0.0.2', port: 0 },
    ];
    for (const from of sources) expect(() => socket.deliver(signedPing(), from)).not.toThrow();
    await settle();
    const m = service.metrics;
    expect(m.dropped['bad-source']).toBe(2);
    expect(m.handlerErrors).toBe(0);
    expect(m.packetsIn.ping).toBe(0);
    expect(socket.sent).toHaveLength(0);
    // The service keeps working: a ping from a usable source gets its pong.
    socket.deliver(signedPing(), { address: '10.0.0.2', port: 30303 });
    const types = socket.sent.map((s) => decodePacket(s.data).packet.type);
    expect(types[0]).toBe('pong');
  });

  it('counts an unexpected throw while handling and keeps working', async () => {
    socket.failNext = new Error('socket broke');
    expect(() => socket.deliver(signedPing(), { address: '10.0.0.2', port: 30303 })).not.toThrow();
    expect(service.metrics.handlerErrors).toBe(1);
    socket.deliver(signedPing(), { address: '10.0.0.2', port: 30303 });
    expect(decodePacket(socket.sent[0]?.data ?? new Uint8Array()).packet.type).toBe('pong');
    await settle();
  });
});
