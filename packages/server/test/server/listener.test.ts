import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { silentLogger } from '@ethp2p/base';
import { afterEach, describe, expect, it } from 'vitest';
import { Listener, type ListenerOptions } from '../../src/server/listener.ts';

const signal = (): AbortSignal => AbortSignal.timeout(5_000);
const open: Listener[] = [];
const clients: Socket[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(open.splice(0).map((l) => l.close()));
});

/** A listener whose handlers hold their slot until released or until the socket closes. */
async function start(options: Partial<ListenerOptions> = {}) {
  const admitted: { socket: Socket; ip: string; release: () => void }[] = [];
  const waiters: (() => void)[] = [];
  const listener = await Listener.open({
    host: '127.0.0.1',
    port: 0,
    maxPending: 1,
    throttle: { allow: () => true },
    logger: silentLogger,
    onConnection: (socket, ip) =>
      new Promise<void>((resolve) => {
        socket.on('close', () => resolve());
        admitted.push({
          socket,
          ip,
          release: () => {
            socket.destroy();
            resolve();
          },
        });
        waiters.shift()?.();
      }),
    ...options,
  });
  open.push(listener);
  const nextAdmitted = async () => {
    if (admitted.length === 0) await new Promise<void>((r) => waiters.push(r));
    return admitted.shift() as (typeof admitted)[number];
  };
  return { listener, nextAdmitted };
}

function dial(port: number): Socket {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  clients.push(socket);
  return socket;
}

describe('Listener', () => {
  it('binds port 0 and reports the port', async () => {
    const { listener } = await start();
    expect(listener.port).toBeGreaterThan(0);
    expect(listener.host).toBe('127.0.0.1');
  });

  it('closes sockets beyond the pending limit and admits again once a slot frees', async () => {
    const { listener, nextAdmitted } = await start({ maxPending: 1 });
    dial(listener.port);
    const first = await nextAdmitted();
    expect(first.ip).toBe('127.0.0.1');
    expect(listener.pending).toBe(1);

    const second = dial(listener.port);
    await once(second, 'close', { signal: signal() });
    expect(listener.metrics).toMatchObject({ accepted: 1, pending: 1 });
    // Same IP as the pending one: its own cap (by default the pending limit) refuses it first.
    expect(listener.metrics.refused.ipPendingLimit).toBe(1);

    first.release();
    // The slot frees once the handler settles: poll a bounded number of connect attempts.
    let admitted = false;
    for (let i = 0; i < 50 && !admitted; i++) {
      const third = dial(listener.port);
      const outcome = await Promise.race([
        nextAdmitted().then(() => 'admitted' as const),
        once(third, 'close', { signal: signal() }).then(() => 'closed' as const),
      ]);
      admitted = outcome === 'admitted';
    }
    expect(admitted).toBe(true);
  });

  it('closes sockets from IPs outside NetRestrict', async () => {
    const seen: string[] = [];
    const { listener } = await start({
      allowIp: (ip) => {
        seen.push(ip);
        return false;
      },
    });
    const client = dial(listener.port);
    await once(client, 'close', { signal: signal() });
    expect(seen).toEqual(['127.0.0.1']);
    expect(listener.pending).toBe(0);
    expect(listener.metrics.refused.netRestrict).toBe(1);
  });

  it('closes throttled sockets before any handler runs', async () => {
    let calls = 0;
    const { listener } = await start({
      throttle: { allow: () => calls++ === 0 },
      maxPending: 5,
    });
    const a = dial(listener.port);
    await once(a, 'connect', { signal: signal() });
    const b = dial(listener.port);
    await once(b, 'close', { signal: signal() });
    expect(calls).toBe(2);
    expect(listener.pending).toBe(1);
    expect(listener.metrics.refused).toEqual({
      pendingLimit: 0,
      ipPendingLimit: 0,
      netRestrict: 0,
      throttled: 1,
      noAddress: 0,
      banned: 0,
    });
  });

  it('close() stops accepting and waits for handlers', async () => {
    const { listener, nextAdmitted } = await start();
    dial(listener.port);
    const first = await nextAdmitted();
    let closed = false;
    const closing = listener.close().then(() => {
      closed = true;
    });
    await Promise.resolve();
    expect(closed).toBe(false);
    first.release();
    await closing;
    expect(listener.pending).toBe(0);
    // Every accepted socket is closed, so the listening socket reports closed too.
    await listener.closed();
    const late = dial(listener.port);
    const [err] = await once(late, 'error', { signal: signal() });
    expect((err as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('reports a bind error', async () => {
    const { listener } = await start();
    await expect(
      Listener.open({
        host: '127.0.0.1',
        port: listener.port,
        maxPending: 1,
        throttle: { allow: () => true },
        logger: silentLogger,
        onConnection: async () => {},
      }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
