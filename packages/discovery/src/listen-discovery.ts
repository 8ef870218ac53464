/**
 * Discovery v4 and v5 together on one UDP port, as go-ethereum runs them by default
 * (`p2p/server.go` `setupDiscovery`): one socket, one record, discv4 reading every datagram and
 * passing what is not its own to discv5 through a {@link SharedDatagramSocket}.
 * @module
 */
import type { LocalNode, Node } from '@ethp2p/enode';
import { DiscoveryV4 } from './service/discovery.ts';
import type { ListenOptions } from './service/listen.ts';
import { openListenResources } from './service/listen.ts';
import type { DatagramAddress, DatagramSocket } from './transport/datagram.ts';
import { SharedDatagramSocket } from './transport/shared-socket.ts';
import type { DiscoveryV5Config } from './v5/config.ts';
import type { DiscV5RpcConfig } from './v5/rpc/config.ts';
import { DiscV5Rpc } from './v5/rpc/rpc.ts';
import { DiscoveryV5 } from './v5/service.ts';

/** Options of {@link listenDiscovery}: those of `DiscoveryV4.listen`, and which versions run. */
export interface DiscoveryListenOptions extends ListenOptions {
  /** Run Node Discovery v4; default true. */
  readonly v4?: boolean;
  /** Run Node Discovery v5; default true. */
  readonly v5?: boolean;
  /** discv5's bootnodes (they need records); `bootnodes` are discv4's. */
  readonly v5Bootnodes?: readonly Node[];
  /** discv5's table and refresh settings. */
  readonly v5Config?: Partial<DiscoveryV5Config>;
  /** discv5's rpc settings (timeouts, session and challenge limits). */
  readonly rpcConfig?: Partial<DiscV5RpcConfig>;
  /** Which IPs discovery may use, for both versions; default every IP. */
  readonly allowIp?: (ip: string) => boolean;
}

/** The started services of {@link listenDiscovery} and their shared port and record. */
export interface ListeningDiscovery {
  readonly v4: DiscoveryV4 | undefined;
  readonly v5: DiscoveryV5 | undefined;
  /** The one record both versions serve. */
  readonly localNode: LocalNode;
  /** The bound UDP address both versions answer on. */
  readonly local: DatagramAddress;
  /** Stops both, closes the socket and what was created for them. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Binds one UDP socket (default `127.0.0.1`, port 0), creates the record and the node database
 * as `DiscoveryV4.listen` does, and starts discv4 and/or discv5 on it.
 * @throws {TypeError} when both versions are turned off; {@link TransportError} `BIND_FAILED`
 * @example
 * ```ts
 * const disc = await listenDiscovery({ privateKey, address: '0.0.0.0', port: 30303 });
 * console.log(disc.localNode.node().record?.encodeText());
 * await disc.stop();
 * ```
 */
export async function listenDiscovery(
  options: DiscoveryListenOptions,
): Promise<ListeningDiscovery> {
  const runV4 = options.v4 ?? true;
  const runV5 = options.v5 ?? true;
  if (!runV4 && !runV5) throw new TypeError('options: expected v4 or v5 to run');
  const res = await openListenResources(options);
  let v4: DiscoveryV4 | undefined;
  let v5: DiscoveryV5 | undefined;
  try {
    let v5Socket: DatagramSocket = res.socket;
    if (runV4) {
      const view = runV5 ? new SharedDatagramSocket(res.socket) : undefined;
      if (view !== undefined) v5Socket = view;
      v4 = new DiscoveryV4({
        ...options,
        localNode: res.localNode,
        db: res.db,
        socket: res.socket,
        ...(view === undefined ? {} : { unhandled: view.deliver }),
      });
    }
    if (runV5) {
      const rpc = new DiscV5Rpc({
        privateKey: options.privateKey,
        localNode: res.localNode,
        socket: v5Socket,
        ...(options.clock === undefined ? {} : { clock: options.clock }),
        ...(options.random === undefined ? {} : { random: options.random }),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
        ...(options.rpcConfig === undefined ? {} : { config: options.rpcConfig }),
        ...(options.bans === undefined ? {} : { bans: options.bans }),
      });
      v5 = new DiscoveryV5({
        ...options,
        bootnodes: options.v5Bootnodes ?? [],
        localNode: res.localNode,
        db: res.db,
        rpc,
        config: options.v5Config ?? {},
      });
      await v5.start();
    }
    await v4?.start();
  } catch (err) {
    await v5?.stop();
    await v4?.stop();
    await res.socket.close();
    await res.release();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await v5?.stop();
    await v4?.stop();
    await res.socket.close();
    await res.release();
  };
  return {
    v4,
    v5,
    localNode: res.localNode,
    local: res.socket.local,
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}
