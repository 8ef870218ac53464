import { MemoryLogger } from '@ethp2p/base';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatagramAddress, DatagramSocket } from '../../src/transport/datagram.ts';
import { TransportError } from '../../src/transport/errors.ts';
import { bindUdpSocket } from '../../src/transport/udp-socket.ts';

const opened: DatagramSocket[] = [];

async function bind(options: Parameters<typeof bindUdpSocket>[0] = {}) {
  const socket = await bindUdpSocket({
    address: '127.0.0.1',
    logger: new MemoryLogger(),
    ...options,
  });
  opened.push(socket);
  return socket;
}

/** Resolves with the next datagram the socket receives; rejects after 5 s. */
function nextMessage(socket: DatagramSocket): Promise<{ data: Uint8Array; from: DatagramAddress }> {
  const signal = AbortSignal.timeout(5000);
  return new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    socket.onMessage((data, from) => resolve({ data, from }));
  });
}

const udpHandles = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length;

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

describe('bindUdpSocket', () => {
  it('exchanges datagrams between two loopback sockets bound to port 0', async () => {
    const a = await bind();
    const b = await bind();
    expect(a.local.address).toBe('127.0.0.1');
    expect(a.local.port).toBeGreaterThan(0);
    const atB = nextMessage(b);
    a.send(new Uint8Array([1, 2, 3]), b.local);
    const got = await atB;
    expect([...got.data]).toEqual([1, 2, 3]);
    expect(got.from).toEqual(a.local);
  });

  it('reports IPv4 sources of a dual-stack socket as plain IPv4 and can reply to them', async (ctx) => {
    const v6 = await bindUdpSocket({ address: '::', logger: new MemoryLogger() }).catch(
      () => undefined,
    );
    if (v6 === undefined) return ctx.skip();
    opened.push(v6);
    const v4 = await bind();
    const atV6 = nextMessage(v6);
    v4.send(new Uint8Array([7]), { address: '127.0.0.1', port: v6.local.port });
    const { from } = await atV6;
    expect(from).toEqual(v4.local);
    const atV4 = nextMessage(v4);
    v6.send(new Uint8Array([8]), from);
    expect([...(await atV4).data]).toEqual([8]);
  });

  it('drops datagrams larger than maxDatagramSize before the handler', async () => {
    const a = await bind();
    const b = await bindUdpSocket({ address: '127.0.0.1', maxDatagramSize: 16 });
    opened.push(b);
    const atB = nextMessage(b);
    a.send(new Uint8Array(17), b.local);
    a.send(new Uint8Array(16).fill(5), b.local);
    const got = await atB;
    expect(got.data.length).toBe(16);
    expect(b.stats).toMatchObject({ oversize: 1, received: 1 });
  });

  it('takes 1280 bytes but not 1281 or an ethereumjs-sized 1373 by default (geth reads 1280)', async () => {
    const a = await bind();
    const b = await bind();
    const atB = nextMessage(b);
    a.send(new Uint8Array(1281), b.local);
    a.send(new Uint8Array(1373), b.local);
    a.send(new Uint8Array(1280).fill(3), b.local);
    expect((await atB).data.length).toBe(1280);
    expect(b.stats).toMatchObject({ oversize: 2, received: 1 });
  });

  it('rejects a taken port with BIND_FAILED', async () => {
    const a = await bind();
    const err = await bindUdpSocket({ address: '127.0.0.1', port: a.local.port }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ code: 'BIND_FAILED', name: 'TransportError' });
    expect((err as Error).cause).toMatchObject({ code: 'EADDRINUSE' });
  });

  it.each([['not-an-ip'], ['192.0.2.1']])(
    'rejects address %s with BIND_FAILED',
    async (address) => {
      await expect(bindUdpSocket({ address })).rejects.toMatchObject({ code: 'BIND_FAILED' });
    },
  );

  it('rejects an out-of-range port with RangeError', async () => {
    await expect(bindUdpSocket({ port: 65536 })).rejects.toBeInstanceOf(RangeError);
  });

  it('closes idempotently and leaves no UDP handle', async () => {
    const before = udpHandles();
    const socket = await bindUdpSocket({ address: '127.0.0.1' });
    expect(udpHandles()).toBe(before + 1);
    await Promise.all([socket.close(), socket.close()]);
    await socket.close();
    expect(udpHandles()).toBe(before);
    socket.send(new Uint8Array([1]), { address: '127.0.0.1', port: 9 });
    expect(socket.stats.sent).toBe(0);
  });

  it('counts a handler that throws and keeps receiving', async () => {
    const a = await bind();
    const b = await bind();
    const signal = AbortSignal.timeout(5000);
    const second = new Promise<number[]>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      b.onMessage((data) => {
        if (data[0] === 1) throw new Error('bad packet');
        resolve([...data]);
      });
    });
    a.send(new Uint8Array([1]), b.local);
    a.send(new Uint8Array([2]), b.local);
    expect(await second).toEqual([2]);
    expect(b.stats).toMatchObject({ errors: 1, received: 2 });
  });
});
