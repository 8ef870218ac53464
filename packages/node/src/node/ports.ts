/**
 * Binding the node's ports, and turning bind failures into one-line errors that say which flag
 * to change.
 * @module
 */

import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import type { Logger } from '@ethp2p/base';
import { bindUdpSocket, type UdpSocket } from '@ethp2p/discovery';
import { NodeError } from './errors.ts';

/**
 * Binds the discovery UDP socket.
 * @throws {NodeError} `PORT_IN_USE` or `LISTEN_FAILED`
 */
export async function bindDiscoverySocket(
  ip: string,
  port: number,
  logger: Logger,
): Promise<UdpSocket> {
  try {
    return await bindUdpSocket({ address: ip, port, logger });
  } catch (err) {
    throw listenError(err, 'UDP', ip, port);
  }
}

/**
 * Checks that TCP `ip:port` can be bound, by binding it and letting it go again; returns the
 * port bound (the one the OS picked for port 0). Lets a node find a port in use or a bad listen
 * IP before it writes anything.
 * @throws {NodeError} `PORT_IN_USE` or `LISTEN_FAILED`
 */
export async function checkTcpPort(ip: string, port: number): Promise<number> {
  const server = createServer();
  try {
    server.listen({ host: ip, port, exclusive: true });
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  } catch (err) {
    throw listenError(err, 'TCP', ip, port);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The errno code behind a bind failure (on the error or its cause). */
function errnoOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    e = e.cause;
  }
  return undefined;
}

/**
 * The {@link NodeError} for a failed bind of `proto` on `ip:port`: `PORT_IN_USE` naming the
 * flag to change, or `LISTEN_FAILED`.
 */
export function listenError(
  err: unknown,
  proto: 'TCP' | 'UDP',
  ip: string,
  port: number,
): NodeError {
  const flag = proto === 'TCP' ? '--port' : '--discovery.port';
  const code = errnoOf(err);
  if (code === 'EADDRINUSE') {
    return new NodeError(
      'PORT_IN_USE',
      `${proto} port ${port} is in use; pick another with ${flag}`,
      {
        cause: err,
      },
    );
  }
  if (code === 'EACCES') {
    return new NodeError(
      'LISTEN_FAILED',
      `${proto} port ${port} needs privileges; pick one above 1023 with ${flag}`,
      { cause: err },
    );
  }
  const why = code === 'EADDRNOTAVAIL' ? 'not an address of this machine' : (code ?? String(err));
  return new NodeError(
    'LISTEN_FAILED',
    `cannot listen on ${proto} ${ip}:${port} (${why}); check --listen.ip and ${flag}`,
    { cause: err },
  );
}
