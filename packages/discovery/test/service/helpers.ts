/**
 * Test helpers for the discv4 service: services on an in-memory network, and a raw peer that
 * sends hand-made packets and records what comes back (geth `v4_udp_test.go` `udpTest`, and the
 * v4test suite's framework).
 */

import { type Clock, type Logger, silentLogger } from '@ethp2p/base';
import { nextTurn, waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { LocalNode, Node, NodeDatabase, nodeIdFromPublicKey } from '@ethp2p/enode';
import { EventEmitter } from 'eventemitter3';
import type { BanCheck } from '../../src/ban-check.ts';
import type { SignatureRunner } from '../../src/pool/types.ts';
import type { DiscoveryConfig } from '../../src/service/config.ts';
import { DiscoveryV4 } from '../../src/service/discovery.ts';
import type {
  DatagramAddress,
  DatagramHandler,
  DatagramSocket,
} from '../../src/transport/datagram.ts';
import type { MemoryNetwork } from '../../src/transport/memory-network.ts';
import type { DecodedPacket, NeighborNode, PacketInput, PacketName } from '../../src/wire/index.ts';
import {
  chunkNeighbors,
  decodePacket,
  encodePacket,
  expirationFromNow,
} from '../../src/wire/index.ts';

/** A realistic start time (the database stores whole seconds; 0 would read as "never"). */
export const START_MS = 1_700_000_000_000;

/** A started service and what it was built from. */
export interface TestService {
  readonly service: DiscoveryV4;
  readonly db: NodeDatabase;
  readonly localNode: LocalNode;
  readonly address: DatagramAddress;
  readonly privateKey: Uint8Array;
  /** Stops the service and closes the database. */
  close(): Promise<void>;
}

/** Options of {@link startService}. */
export interface ServiceOptions {
  clock?: Clock;
  config?: Partial<DiscoveryConfig>;
  bootnodes?: readonly Node[];
  logger?: Logger;
  port?: number;
  start?: boolean;
  allowIp?: (ip: string) => boolean;
  /** The `bans` option. */
  bans?: BanCheck;
  /** The `unhandled` option: where datagrams that are not discv4 packets go. */
  unhandled?: DatagramHandler;
  /** A socket bound on `net` at `ip` to use instead of binding one. */
  socket?: DatagramSocket;
  /** The node database (default: a new in-memory one); closed by `close()` either way. */
  db?: NodeDatabase;
  /** Signature worker threads (default 0: inline). */
  workers?: number;
  /** A signature runner instead of the one `workers` makes, built with the service's key. */
  signatures?: (privateKey: Uint8Array) => SignatureRunner;
}

/** A service bound to `ip` on `net`, started unless `start: false`. */
export async function startService(
  net: MemoryNetwork,
  ip: string,
  options: ServiceOptions = {},
): Promise<TestService> {
  const clock = options.clock;
  const privateKey = generatePrivateKey();
  const db = options.db ?? (await NodeDatabase.open(clock === undefined ? {} : { clock }));
  const localNode = await LocalNode.create({ privateKey, db, ...(clock ? { clock } : {}) });
  const socket = options.socket ?? net.bind(ip, options.port ?? 0);
  localNode.setFallbackIp(ip);
  localNode.setFallbackUdpPort(socket.local.port);
  const service = new DiscoveryV4({
    privateKey,
    localNode,
    db,
    socket,
    logger: options.logger ?? silentLogger,
    ...(clock === undefined ? {} : { clock }),
    ...(options.bootnodes === undefined ? {} : { bootnodes: options.bootnodes }),
    ...(options.allowIp === undefined ? {} : { allowIp: options.allowIp }),
    ...(options.bans === undefined ? {} : { bans: options.bans }),
    ...(options.unhandled === undefined ? {} : { unhandled: options.unhandled }),
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    ...(options.signatures === undefined ? {} : { signatures: options.signatures(privateKey) }),
    config: { bondWaitMs: 0, ...options.config },
  });
  if (options.start !== false) await service.start();
  return {
    service,
    db,
    localNode,
    address: socket.local,
    privateKey,
    close: async () => {
      await service.stop();
      await localNode.close();
      await db.close();
    },
  };
}

/**
 * A hand-driven discv4 peer: it signs whatever packets a test builds and queues every packet it
 * receives, with its source.
 */
export class RawPeer {
  readonly privateKey: Uint8Array = generatePrivateKey();
  readonly publicKey: Uint8Array = publicKey(this.privateKey);
  readonly id: Uint8Array = nodeIdFromPublicKey(this.publicKey);
  readonly socket: DatagramSocket;
  readonly received: { decoded: DecodedPacket; from: DatagramAddress }[] = [];
  /** `packet` after each received packet was queued, for `waitFor({ on })`. */
  readonly events: EventEmitter<{ packet: [] }> = new EventEmitter();
  /** Called for every packet received, after it was queued: a place for automatic answers. */
  respond: ((decoded: DecodedPacket, from: DatagramAddress) => void) | undefined;

  constructor(net: MemoryNetwork, ip: string, privateKey?: Uint8Array) {
    if (privateKey !== undefined) {
      this.privateKey = privateKey;
      this.publicKey = publicKey(privateKey);
      this.id = nodeIdFromPublicKey(this.publicKey);
    }
    this.socket = net.bind(ip);
    this.socket.onMessage((data, from) => {
      const decoded = decodePacket(data);
      this.received.push({ decoded, from });
      this.respond?.(decoded, from);
      this.events.emit('packet');
    });
  }

  get address(): DatagramAddress {
    return this.socket.local;
  }

  /** Signs and sends `packet`; returns its hash. */
  send(packet: PacketInput, to: DatagramAddress): Uint8Array {
    const { bytes, hash } = encodePacket(packet, this.privateKey);
    this.socket.send(bytes, to);
    return hash;
  }

  /** Sends a valid Ping to `to` (From = our socket, To = `to`). */
  ping(
    to: DatagramAddress,
    nowMs: number,
    overrides: Partial<PacketInput & { type: 'ping' }> = {},
  ) {
    return this.send(
      {
        type: 'ping',
        version: 4n,
        from: { ip: this.address.address, udp: this.address.port, tcp: 0 },
        to: { ip: to.address, udp: to.port, tcp: 0 },
        expiration: expirationFromNow(nowMs),
        ...overrides,
      } as PacketInput,
      to,
    );
  }

  /** Packets received so far of `type`. */
  ofType<T extends PacketName>(type: T): (DecodedPacket & { packet: { type: T } })[] {
    return this.received
      .map((r) => r.decoded)
      .filter((d): d is DecodedPacket & { packet: { type: T } } => d.packet.type === type);
  }

  /** Waits for the next packet of `type` after the first `skip` of that type. */
  async next<T extends PacketName>(
    type: T,
    skip = 0,
    signal?: AbortSignal,
  ): Promise<DecodedPacket & { packet: { type: T } }> {
    await waitFor(() => this.ofType(type).length > skip, {
      what: `${skip + 1} ${type} packets arrived`,
      on: { emitters: [this.events], events: ['packet'] },
      ...(signal === undefined ? {} : { signal }),
    });
    const got = this.ofType(type)[skip];
    if (got === undefined) throw new Error('unreachable');
    return got;
  }

  /** Answers every Ping with a correct Pong (enr-seq `seq` when given). */
  autoPong(clock: Clock, seq?: bigint): void {
    const previous = this.respond;
    this.respond = (decoded, from) => {
      previous?.(decoded, from);
      if (decoded.packet.type !== 'ping') return;
      this.send(
        {
          type: 'pong',
          to: { ip: from.address, udp: from.port, tcp: 0 },
          pingHash: decoded.hash,
          expiration: expirationFromNow(clock.now()),
          ...(seq === undefined ? {} : { enrSeq: seq }),
        },
        from,
      );
    };
  }

  /** This peer as a node at its socket's address (no record). */
  node(): Node {
    return Node.fromPublicKey(this.publicKey, { ip: this.address.address, udp: this.address.port });
  }

  close(): Promise<void> {
    return this.socket.close();
  }
}

/**
 * Bonds `peer` with `svc` the way a real node does: `peer` pings, then answers the service's
 * ping back; resolves once the service stored the bond (its pong time for the peer).
 */
export async function bond(peer: RawPeer, svc: TestService, clock: Clock): Promise<void> {
  peer.autoPong(clock);
  peer.ping(svc.address, clock.now());
  const ip = peer.address.address;
  await waitFor(async () => (await svc.db.lastPongReceived(peer.id, ip)) > 0, {
    what: 'the service stored the bond',
  });
}

/**
 * Lets pending I/O callbacks and promise chains run (several macrotask turns), before asserting
 * that something did *not* happen. Waiting for something that should happen is `waitFor`.
 */
export async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await nextTurn();
}

/**
 * Makes `peer` answer every FindNode with `found`, and runs a lookup of `svc` in the background;
 * returns what stops it.
 */
export function lookupFinding(
  svc: TestService,
  peer: RawPeer,
  clock: Clock,
  found: readonly NeighborNode[],
): () => Promise<void> {
  const previous = peer.respond;
  peer.respond = (d, from) => {
    previous?.(d, from);
    if (d.packet.type !== 'findnode') return;
    const expiration = expirationFromNow(clock.now());
    for (const nodes of chunkNeighbors(found)) {
      peer.send({ type: 'neighbors', nodes, expiration }, from);
    }
  };
  const controller = new AbortController();
  const lookup = (async () => {
    for await (const _ of svc.service.lookup(undefined, { signal: controller.signal })) void _;
  })().catch(() => undefined);
  return async () => {
    controller.abort();
    await lookup;
  };
}
