/**
 * What {@link DiscoveryV4.listen} creates around the service: a UDP socket, an in-memory node
 * database unless one is given, and the local node record.
 * @module
 */
import type { Clock, Logger, Random } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import { LocalNode, NodeDatabase } from '@ethp2p/enode';
import type { BanCheck } from '../ban-check.ts';
import { isUnspecified } from '../netutil.ts';
import type { UdpSocket } from '../transport/udp-socket.ts';
import { bindUdpSocket } from '../transport/udp-socket.ts';
import { MAX_DATAGRAM_SIZE } from '../wire/index.ts';
import type { DiscoveryConfig } from './config.ts';

/** The address {@link DiscoveryV4.listen} binds by default: loopback, so nothing is exposed by accident. */
export const DEFAULT_LISTEN_ADDRESS = '127.0.0.1';

/** Options of {@link DiscoveryV4.listen}. */
export interface ListenOptions {
  /** The node's 32-byte secp256k1 private key. */
  readonly privateKey: Uint8Array;
  /** Local IP to bind; default `127.0.0.1`. Use `0.0.0.0` (or `::`) to be reachable from outside. */
  readonly address?: string;
  /** UDP port; default 0 (the OS picks one). */
  readonly port?: number;
  /** The RLPx port to advertise in the record (`tcp` entry), if any. */
  readonly tcpPort?: number;
  /** The node database; default a new in-memory one, closed by `stop()`. */
  readonly db?: NodeDatabase;
  readonly bootnodes?: readonly Node[];
  readonly clock?: Clock;
  readonly random?: Random;
  readonly logger?: Logger;
  readonly config?: Partial<DiscoveryConfig>;
  /** The ban list (normally `Server.reputation`); default: nothing banned. */
  readonly bans?: BanCheck;
  /** Signature worker threads: `DiscoveryOptions.workers` (default 0, inline). */
  readonly workers?: number | 'auto';
}

/** The resources made for a listening node, and how to release the ones the service does not own. */
export interface ListenResources {
  readonly socket: UdpSocket;
  readonly db: NodeDatabase;
  readonly localNode: LocalNode;
  /** Waits for the local seq writes, then closes the database if it was created here. */
  release(): Promise<void>;
}

/**
 * Binds the socket and prepares the record: fallback IP = the bound address (`127.0.0.1` when
 * it is unspecified, like geth's server), fallback UDP port = the bound port.
 * @throws {TransportError} `BIND_FAILED`; anything created is released first
 */
export async function openListenResources(options: ListenOptions): Promise<ListenResources> {
  const { address = DEFAULT_LISTEN_ADDRESS, port = 0, clock, logger } = options;
  const socket = await bindUdpSocket({
    address,
    port,
    maxDatagramSize: MAX_DATAGRAM_SIZE,
    ...(logger === undefined ? {} : { logger }),
  });
  const ownDb = options.db === undefined;
  let db: NodeDatabase | undefined = options.db;
  try {
    db ??= await NodeDatabase.open({
      ...(clock === undefined ? {} : { clock }),
      ...(logger === undefined ? {} : { logger }),
    });
    const localNode = await LocalNode.create({
      privateKey: options.privateKey,
      db,
      ...(clock === undefined ? {} : { clock }),
      ...(logger === undefined ? {} : { logger }),
    });
    localNode.setFallbackIp(isUnspecified(address) ? DEFAULT_LISTEN_ADDRESS : socket.local.address);
    localNode.setFallbackUdpPort(socket.local.port);
    if (options.tcpPort !== undefined) localNode.set('tcp', options.tcpPort);
    const opened = db;
    const release = async (): Promise<void> => {
      await localNode.close();
      if (ownDb) await opened.close();
    };
    return { socket, db: opened, localNode, release };
  } catch (err) {
    await socket.close();
    if (ownDb) await db?.close();
    throw err;
  }
}

/**
 * Opens the resources of {@link openListenResources} and builds a service on them; when `build`
 * throws, what was opened is closed again. The caller starts the service and runs `release`
 * when it stops.
 * @throws {TransportError} `BIND_FAILED`; what `build` throws
 */
export async function buildOnListenResources<S>(
  options: ListenOptions,
  build: (res: ListenResources) => S,
): Promise<{ readonly service: S; readonly release: () => Promise<void> }> {
  const res = await openListenResources(options);
  try {
    return { service: build(res), release: res.release };
  } catch (err) {
    await res.socket.close();
    await res.release();
    throw err;
  }
}
