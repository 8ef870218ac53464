/**
 * The client side of discv4 (geth `v4_udp.go` `ping`, `findnode`, `RequestENR`, `ensureBond`):
 * each request registers its reply matcher first, then sends. Replies reach the matcher through
 * the receive path in `handlers.ts`, which also records the bond when a Pong matches.
 * @module
 */
import { sleep } from '@ethp2p/base';
import { equalBytes } from '@ethp2p/crypto';
import type { Enr } from '@ethp2p/enode';
import { Node } from '@ethp2p/enode';
import { checkRelayIp, relayIpChecker } from '../netutil.ts';
import { SignaturePoolError } from '../pool/errors.ts';
import type { WorkClass } from '../pool/types.ts';
import { MAX_FINDNODE_FAILURES } from '../table/constants.ts';
import type { Revalidator } from '../table/revalidation.ts';
import { TransportError } from '../transport/errors.ts';
import type { DecodedPacket, EncodedPacket, PacketInput, PongPacket } from '../wire/index.ts';
import {
  DISCV4_VERSION,
  expirationFromNow,
  MAX_NEIGHBORS_PER_PACKET,
  PACKET_TYPE,
} from '../wire/index.ts';
import { FINDNODE_RESULT_SIZE } from './config.ts';
import type { ServiceContext } from './context.ts';
import { isBondFresh, requestOptions, sealForRequest, sendPacket } from './context.ts';
import { DiscoveryError } from './errors.ts';
import { nodeFromNeighbor } from './neighbors.ts';

/** A node with a known UDP endpoint. */
interface Reachable {
  readonly node: Node;
  readonly ip: string;
  readonly udp: number;
}

/** What a ping returns ({@link ping}, `DiscoveryV4.ping`). */
export interface PingResult {
  /** The ENR sequence number in the Pong, `undefined` if it carried none (ethereumjs). */
  readonly seq: bigint | undefined;
  /** Round-trip time on the service clock. */
  readonly rttMs: number;
}

/**
 * Pings `node` and waits for the Pong that echoes our ping's hash (geth `ping`). Sending notes
 * the contact for the endpoint predictor (`udpContact`); the Pong itself (bond, endpoint
 * statement) is recorded by the receive path.
 * @throws {DiscoveryError} `NO_ENDPOINT`, `TIMEOUT`, `SEND_FAILED`, `CLOSED`; `signal.reason` when aborted
 */
export async function ping(
  ctx: ServiceContext,
  node: Node,
  signal?: AbortSignal,
): Promise<PingResult> {
  const result = await tryPing(ctx, node, signal);
  if (result === undefined) throw new DiscoveryError('TIMEOUT', 'ping: no reply');
  return result;
}

/**
 * {@link ping}, but a missing Pong resolves `undefined` (counted as a timeout) instead of
 * rejecting. Pinging back unknown pingers goes through here: under a flood most of those pings
 * time out, and an error object per timeout would be pure cost. Nothing is signed or sent when
 * the reply matcher is full (the Pong could not be matched). `workClass` says what signing the
 * Ping is worth under overload: `own` for our requests, `ping` for ping-backs.
 * @throws {DiscoveryError} `NO_ENDPOINT`, `SEND_FAILED` (too many pending requests), `CLOSED`;
 *   `signal.reason` when aborted
 */
export async function tryPing(
  ctx: ServiceContext,
  node: Node,
  signal?: AbortSignal,
  workClass: WorkClass = 'own',
): Promise<PingResult | undefined> {
  checkRunning(ctx, signal);
  const to = reachable(node);
  const { matcher } = ctx;
  if (matcher.pendingCount >= matcher.maxPending) {
    throw new DiscoveryError('SEND_FAILED', `ping: ${matcher.maxPending} replies pending`);
  }
  const self = ctx.localNode.node();
  const start = ctx.clock.now();
  const sealing = signed(
    ctx,
    {
      type: 'ping',
      version: DISCV4_VERSION,
      from: { ip: self.ip, udp: self.udp ?? 0, tcp: self.tcp ?? 0 },
      to: { ip: to.ip, udp: to.udp, tcp: 0 },
      expiration: expirationFromNow(start),
      enrSeq: self.seq,
    },
    to,
    workClass,
    'ping',
  );
  // Inline signing stays synchronous: register and send in the same turn, as before workers.
  const { bytes, hash } = sealing instanceof Promise ? await sealing : sealing;
  let pong: PongPacket | undefined;
  const reply = ctx.matcher.expect<DecodedPacket>(
    { from: node.idHex, ip: to.ip, type: PACKET_TYPE.pong },
    ({ packet }) => {
      const ok = packet.type === 'pong' && equalBytes(packet.pingHash, hash);
      if (ok) pong = packet;
      return { matched: ok, done: ok };
    },
    requestOptions(signal),
  );
  ctx.localNode.udpContact(to.ip);
  ctx.socket.send(bytes, { address: to.ip, port: to.udp });
  ctx.metrics.countOut('ping');
  try {
    await reply;
  } catch (err) {
    if (!(err instanceof TransportError) || err.code !== 'TIMEOUT')
      throw mapError(ctx, err, 'ping');
    ctx.metrics.count('timeouts');
  }
  return pong === undefined ? undefined : { seq: pong.enrSeq, rttMs: ctx.clock.now() - start };
}

/**
 * Asks `node` for the nodes closest to `targetPublicKey` (geth `findnode`), after making sure it
 * has our endpoint proof. Collects Neighbors packets until 16 entries arrived, a packet with
 * fewer than 12 entries (necessarily the last) arrived, or the deadline passed; a deadline after
 * at least one packet is not an error. Unusable entries are dropped
 * (see `nodeFromNeighbor`).
 * @throws {DiscoveryError} `NO_ENDPOINT`, `TIMEOUT` (no Neighbors at all), `CLOSED`;
 *   `signal.reason` when aborted
 */
export async function findnode(
  ctx: ServiceContext,
  node: Node,
  targetPublicKey: Uint8Array,
  signal?: AbortSignal,
): Promise<Node[]> {
  checkRunning(ctx, signal);
  const to = reachable(node);
  await ensureBond(ctx, to, signal);
  const relay = relayIpChecker(to.ip);
  const memo = ctx.simulated;
  const make = memo === undefined ? undefined : memo.node.bind(memo);
  const found: Node[] = [];
  let received = 0;
  let packets = 0;
  const reply = ctx.matcher.expect<DecodedPacket>(
    { from: node.idHex, ip: to.ip, type: PACKET_TYPE.neighbors },
    ({ packet }) => {
      if (packet.type !== 'neighbors') return { matched: false, done: false };
      packets++;
      received += packet.nodes.length;
      for (const entry of packet.nodes) {
        const n = nodeFromNeighbor(entry, relay, ctx.localNode.id, ctx.allowIp, make);
        if (typeof n !== 'string') found.push(n);
        else {
          ctx.metrics.count('neighborsRejected');
          ctx.logger.debug('dropping neighbors entry', { from: to.ip, reason: n });
        }
      }
      // Answers come in packets of at most 12, so a shorter packet is the last one (geth sends
      // 12 + 4, ethereumjs one packet): no need to wait out the deadline for more.
      const last = packet.nodes.length < MAX_NEIGHBORS_PER_PACKET;
      return { matched: true, done: received >= FINDNODE_RESULT_SIZE || last };
    },
    requestOptions(signal),
  );
  const expiration = expirationFromNow(ctx.clock.now());
  sendPacket(ctx, { type: 'findnode', target: targetPublicKey, expiration }, address(to), 'own');
  try {
    await reply;
  } catch (err) {
    const partial = err instanceof TransportError && err.code === 'TIMEOUT' && packets > 0;
    if (!partial) throw mapError(ctx, err, 'findnode');
  }
  return found;
}

/**
 * Requests `node`'s current record (EIP-868, geth `RequestENR`), after making sure it has our
 * endpoint proof. The record must be signed by the node we asked, and its IP must be one the
 * sender may relay to us. If it is older than the record we already have, `node` is returned.
 * @throws {DiscoveryError} `BAD_RECORD`, `NO_ENDPOINT`, `TIMEOUT`, `CLOSED`; `signal.reason`
 *   when aborted
 */
export async function requestEnr(
  ctx: ServiceContext,
  node: Node,
  signal?: AbortSignal,
): Promise<Node> {
  checkRunning(ctx, signal);
  const to = reachable(node);
  await ensureBond(ctx, to, signal);
  const expiration = expirationFromNow(ctx.clock.now());
  const packet: PacketInput = { type: 'enr-request', expiration };
  const sealing = signed(ctx, packet, to, 'own', 'enr request');
  const { bytes, hash } = sealing instanceof Promise ? await sealing : sealing;
  let record: Enr | undefined;
  const reply = ctx.matcher.expect<DecodedPacket>(
    { from: node.idHex, ip: to.ip, type: PACKET_TYPE['enr-response'] },
    ({ packet }) => {
      const ok = packet.type === 'enr-response' && equalBytes(packet.requestHash, hash);
      if (ok) record = packet.record;
      return { matched: ok, done: ok };
    },
    requestOptions(signal),
  );
  ctx.socket.send(bytes, address(to));
  ctx.metrics.countOut('enr-request');
  await settle(ctx, reply, 'enr request');
  if (record === undefined) throw new DiscoveryError('TIMEOUT', 'enr request: no reply');
  const got = Node.fromEnr(record);
  if (!equalBytes(got.id, node.id)) {
    throw new DiscoveryError('BAD_RECORD', 'enr response: record of another node');
  }
  if (got.ip !== undefined && checkRelayIp(to.ip, got.ip) !== undefined) {
    throw new DiscoveryError('BAD_RECORD', `enr response: ip ${got.ip} not relayable`);
  }
  return got.seq < node.seq ? node : got;
}

/**
 * Makes sure `to` holds our endpoint proof before we ask it anything (geth `ensureBond`): if it
 * has not pinged us within the bond lifetime, or our findnode requests to it failed more than
 * 5 times, ping it, wait for the pong (a failure is ignored, as in geth), then give it
 * `bondWaitMs` to ping us back and process our pong.
 */
async function ensureBond(ctx: ServiceContext, to: Reachable, signal?: AbortSignal): Promise<void> {
  const id = to.node.id;
  const [lastPing, fails] = await Promise.all([
    ctx.db.lastPingReceived(id, to.ip),
    ctx.db.findFails(id, to.ip),
  ]);
  if (isBondFresh(ctx, lastPing) && fails <= MAX_FINDNODE_FAILURES) return;
  try {
    await tryPing(ctx, to.node, signal); // no pong is fine here, as in geth
  } catch (err) {
    if (!(err instanceof DiscoveryError) || err.code === 'CLOSED') throw err;
  }
  await wait(ctx, ctx.config.bondWaitMs, signal);
}

/**
 * Waits `ms` on the service clock; stopping the service or aborting `signal` ends it early. Both
 * signals go to `sleep` as they are: this runs before most FindNode queries of a lookup, and a
 * combined signal (`AbortSignal.any`) per wait would cost its creation and weak references.
 */
async function wait(ctx: ServiceContext, ms: number, signal?: AbortSignal): Promise<void> {
  checkRunning(ctx, signal);
  try {
    await sleep(ctx.clock, ms, signal === undefined ? ctx.signal : [signal, ctx.signal]);
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw new DiscoveryError('CLOSED', 'discovery stopped', { cause: err });
  }
}

async function settle(ctx: ServiceContext, reply: Promise<void>, what: string): Promise<void> {
  try {
    await reply;
  } catch (err) {
    throw mapError(ctx, err, what);
  }
}

/**
 * Signs a request's packet, inline (at once) or on a worker. A seal the pool could not do fails
 * the request: `CLOSED` when stopping, `SEND_FAILED` when shed or lost with its worker.
 */
function signed(
  ctx: ServiceContext,
  packet: PacketInput,
  to: Reachable,
  workClass: WorkClass,
  what: string,
): EncodedPacket | Promise<EncodedPacket> {
  const onFailure = (err: unknown): never => {
    if (!(err instanceof SignaturePoolError)) throw err;
    if (err.code === 'CLOSED')
      throw new DiscoveryError('CLOSED', `${what}: stopped`, { cause: err });
    throw new DiscoveryError('SEND_FAILED', `${what}: ${err.message}`, { cause: err });
  };
  try {
    const sealed = sealForRequest(ctx, packet, address(to), workClass);
    return sealed instanceof Promise ? sealed.catch(onFailure) : sealed;
  } catch (err) {
    return onFailure(err);
  }
}

/** Maps a reply-matcher failure to a {@link DiscoveryError}; aborts pass through unchanged. */
function mapError(ctx: ServiceContext, err: unknown, what: string): unknown {
  if (!(err instanceof TransportError)) return err;
  if (err.code === 'TIMEOUT') {
    ctx.metrics.count('timeouts');
    return new DiscoveryError('TIMEOUT', `${what}: no reply`, { cause: err });
  }
  if (err.code === 'CLOSED')
    return new DiscoveryError('CLOSED', `${what}: stopped`, { cause: err });
  return new DiscoveryError('SEND_FAILED', `${what}: ${err.message}`, { cause: err });
}

function checkRunning(ctx: ServiceContext, signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
  if (ctx.signal.aborted) throw new DiscoveryError('CLOSED', 'discovery stopped');
}

function reachable(node: Node): Reachable {
  if (!(node instanceof Node)) throw new TypeError(`node: expected Node, got ${typeof node}`);
  if (node.ip === undefined || node.udp === undefined || node.udp === 0) {
    throw new DiscoveryError('NO_ENDPOINT', `node ${node.enodeUrl()} has no udp endpoint`);
  }
  return { node, ip: node.ip, udp: node.udp };
}

function address(to: Reachable): { address: string; port: number } {
  return { address: to.ip, port: to.udp };
}

/**
 * The table's network side (geth `transport` for `tableRevalidation`): a ping or ENR request
 * that fails for any reason counts as no answer.
 */
export function revalidator(ctx: ServiceContext): Revalidator {
  return {
    ping: async (node, signal) => {
      try {
        const result = await tryPing(ctx, node, signal);
        return result === undefined ? undefined : { seq: result.seq ?? 0n };
      } catch {
        return undefined;
      }
    },
    requestEnr: async (node, signal) => {
      try {
        return await requestEnr(ctx, node, signal);
      } catch {
        return undefined;
      }
    },
  };
}
