/** DiscV5Rpc instances over a MemoryNetwork or real UDP, for the rpc tests. */
import { type Clock, silentLogger } from '@ethp2p/base';
import { generatePrivateKey } from '@ethp2p/crypto';
import { Enr, logDistance, Node } from '@ethp2p/enode';
import type { BanCheck } from '../../../src/ban-check.ts';
import type { DatagramSocket } from '../../../src/transport/datagram.ts';
import type { MemoryNetwork } from '../../../src/transport/memory-network.ts';
import type { DiscV5RpcConfig } from '../../../src/v5/rpc/config.ts';
import { DiscV5Rpc } from '../../../src/v5/rpc/rpc.ts';
import type { V5RequestHandlers } from '../../../src/v5/rpc/types.ts';
import { type TestLocal, testLocal } from '../session/local.ts';

/** A running rpc with its local node. */
export interface TestRpc extends TestLocal {
  readonly rpc: DiscV5Rpc;
  /** Our node as others see it (record with IP and UDP port). */
  node(): Node;
}

/** Options of {@link startRpc}. */
export interface RpcOptions {
  clock?: Clock;
  config?: Partial<DiscV5RpcConfig>;
  /** Reuse this key (a restarted node). */
  privateKey?: Uint8Array;
  /** The ban list. */
  bans?: BanCheck;
}

/** An rpc on `socket`, its record at the socket's address. */
export async function rpcOn(socket: DatagramSocket, options: RpcOptions = {}): Promise<TestRpc> {
  const local = await testLocal(socket.local.address, socket.local.port, options.privateKey);
  const rpc = new DiscV5Rpc({
    ...local,
    socket,
    logger: silentLogger,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.config === undefined ? {} : { config: options.config }),
    ...(options.bans === undefined ? {} : { bans: options.bans }),
  });
  return { ...local, rpc, node: () => local.localNode.node() };
}

/** An rpc bound to `ip` on `net`. */
export function startRpc(
  net: MemoryNetwork,
  ip: string,
  options: RpcOptions & { port?: number } = {},
): Promise<TestRpc> {
  return rpcOn(net.bind(ip, options.port ?? 0), options);
}

/** A signed record of a fresh key at `ip`:`udp`, and its node. */
export function randomNode(ip: string, udp: number): Node {
  return Node.fromEnr(Enr.sign({ seq: 1n, entries: { ip, udp } }, generatePrivateKey()));
}

/** Random nodes at log distance `d` from `id`, found by trying keys (a few hundred tries at most for d ≥ 250). */
export function nodesAtDistance(id: Uint8Array, d: number, count: number, ip: string): Node[] {
  const out: Node[] = [];
  for (let i = 0; out.length < count && i < 100_000; i++) {
    const n = randomNode(ip, 30000 + i);
    if (logDistance(n.id, id) === d) out.push(n);
  }
  return out;
}

/** Request handlers: no nodes, empty talk responses, nothing seen, unless overridden. */
export function handlers(overrides: Partial<V5RequestHandlers>): V5RequestHandlers {
  return { findNodes: () => [], talk: () => new Uint8Array(0), seen: () => {}, ...overrides };
}
