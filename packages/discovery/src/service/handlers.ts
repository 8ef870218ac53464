/**
 * The receive path and the server side of discv4 (geth `v4_udp.go` `handlePacket` and the
 * per-packet `preverify`/`handle` pairs). Nothing here throws out of the socket handler: bad
 * packets are counted, logged at debug and dropped; asynchronous work (node database reads and
 * writes, pinging back) is tracked so that `stop()` can wait for it.
 * @module
 */
import { bytesToHex, equalBytes, keccak256 } from '@ethp2p/crypto';
import { Node, nodeIdFromPublicKey } from '@ethp2p/enode';
import { parseIp, relayIpChecker } from '../netutil.ts';
import { SignaturePoolError } from '../pool/errors.ts';
import type { RecoverOutcome, WorkClass } from '../pool/types.ts';
import type { DatagramAddress } from '../transport/datagram.ts';
import { type OpenedPacket, openPacket } from '../wire/envelope.ts';
import type {
  DecodedPacket,
  FindNodePacket,
  NeighborNode,
  Packet,
  PacketInput,
  PingPacket,
} from '../wire/index.ts';
import {
  chunkNeighbors,
  expirationFromNow,
  isExpired,
  PACKET_TYPE,
  WireError,
  type WireErrorCode,
} from '../wire/index.ts';
import { bondKey } from './bond-cache.ts';
import { tryPing } from './client.ts';
import { FINDNODE_RESULT_SIZE } from './config.ts';
import type { ServiceContext } from './context.ts';
import { inboundKey, isBondFresh, PendingSeal } from './context.ts';
import type { NodeIdentity } from './simulation-memo.ts';

/**
 * Handles one datagram: check the source and the ban list, decode, verify (and the ban list
 * again, by node ID), then the packet's handler. Never
 * throws: a source we could not answer (port 0, or an address that is not a plain IP, such as a
 * scoped IPv6 `fe80::1%eth0` that Node reports on `::` sockets) is dropped as `bad-source`, and
 * anything unexpected thrown while handling is counted in `handlerErrors` and logged at debug.
 * The sender is recovered by `ctx.signatures`: inline, or later on a worker, after which the
 * packet is handled unless the service stopped meanwhile.
 */
export function handleDatagram(ctx: ServiceContext, data: Uint8Array, from: DatagramAddress): void {
  if (from.port === 0 || parseIp(from.address) === undefined) {
    ctx.metrics.countDropped('bad-source');
    ctx.logger.debug('dropping discv4 datagram from unusable source', {
      from: `${from.address}:${from.port}`,
    });
    return;
  }
  // The cheapest check first: a banned IP costs one map lookup, no decoding or recovery.
  if (ctx.bans.isBannedIp(from.address)) {
    ctx.metrics.countDropped('banned');
    return;
  }
  guarded(ctx, from, () => receive(ctx, data, from));
}

function guarded(ctx: ServiceContext, from: DatagramAddress, handle: () => void): void {
  try {
    handle();
  } catch (err) {
    ctx.metrics.count('handlerErrors');
    ctx.logger.debug('handling discv4 packet failed', { from: from.address, err: String(err) });
  }
}

/**
 * Decode failures that mean "not a discv4 packet" rather than "a bad one": with an `unhandled`
 * handler such datagrams go there (geth `readLoop` hands them to discv5 on a shared socket).
 */
const NOT_DISCV4: ReadonlySet<WireErrorCode> = new Set(['TOO_SMALL', 'BAD_HASH']);

function receive(ctx: ServiceContext, data: Uint8Array, from: DatagramAddress): void {
  let opened: OpenedPacket;
  try {
    opened = openPacket(data, ctx.openOptions);
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
    if (ctx.unhandled !== undefined && NOT_DISCV4.has(err.code)) {
      ctx.metrics.count('unhandled');
      ctx.unhandled(data, from);
      return;
    }
    ctx.metrics.countDropped(err.code === 'UNKNOWN_TYPE' ? 'unknown-type' : 'bad-packet');
    ctx.logger.debug('bad discv4 packet', { from: from.address, code: err.code, err: err.message });
    return;
  }
  const workClass = classify(ctx, opened.packet, from);
  // Submitted before the recovery, so that an inline runner has them sealed when it is handled.
  const replies = presealReplies(ctx, opened, from);
  ctx.signatures.recover(data, { key: inboundKey(from, workClass), workClass }, (sender) => {
    if (ctx.signal.aborted) return;
    guarded(ctx, from, () => verified(ctx, opened, sender, from, replies));
  });
}

/**
 * The replies to a request, sealed while its sender is recovered: one trip to the signature
 * workers instead of two, the second after the request is handled. Nothing the recovery tells
 * changes them; they are sent only if the request then passes every check.
 * - Ping: always (geth answers every valid Ping). The Pong goes to the UDP source (never the
 *   Ping's `From`) with the Ping's `From.TCP`, echoing the ping hash; its work class is the
 *   Ping's, so overload sheds both alike.
 * - FindNode and ENRRequest: only when some node at the source IP has bonded with us (the bond
 *   cache), so a flood from unbonded sources costs no signatures beyond the recoveries.
 * None for a packet already expired, which will be dropped.
 */
function presealReplies(
  ctx: ServiceContext,
  opened: OpenedPacket,
  from: DatagramAddress,
): readonly PendingSeal[] | undefined {
  const { packet } = opened;
  if (packet.type !== 'ping' && packet.type !== 'findnode' && packet.type !== 'enr-request') {
    return undefined;
  }
  const now = ctx.clock.now();
  if (isExpired(packet.expiration, now)) return undefined;
  if (packet.type === 'ping') {
    const pong: PacketInput = {
      type: 'pong',
      to: { ip: from.address, udp: from.port, tcp: packet.from.tcp },
      pingHash: opened.hash,
      expiration: expirationFromNow(now),
      enrSeq: ctx.localNode.node().seq,
    };
    return [new PendingSeal(ctx, pong, from, 'ping')];
  }
  if (!isBondFresh(ctx, ctx.bonds.latestAt(from.address) ?? 0)) return undefined;
  const answers =
    packet.type === 'findnode'
      ? neighborsFor(ctx, packet, from)
      : [enrResponseFor(ctx, opened.hash)];
  return sealAnswers(ctx, answers, from);
}

/**
 * What recovering a packet's sender is worth under overload (issue 18): replies we are waiting
 * for from that IP the most, then requests, then Pings and replies nobody asked for.
 */
function classify(ctx: ServiceContext, packet: Packet, from: DatagramAddress): WorkClass {
  switch (packet.type) {
    case 'ping':
      return 'ping';
    case 'findnode':
    case 'enr-request':
      return 'request';
    default:
      return ctx.matcher.expectsFrom(from.address, PACKET_TYPE[packet.type]) ? 'own' : 'ping';
  }
}

function verified(
  ctx: ServiceContext,
  opened: OpenedPacket,
  sender: RecoverOutcome,
  from: DatagramAddress,
  replies: readonly PendingSeal[] | undefined,
): void {
  if (!sender.ok) {
    const { error } = sender;
    if (error instanceof SignaturePoolError) {
      if (error.code === 'SHED') ctx.metrics.countDropped('overloaded');
      else if (error.code !== 'CLOSED') throw error;
      return;
    }
    ctx.metrics.countDropped('bad-packet');
    ctx.logger.debug('bad discv4 packet', { from: from.address, code: error.code });
    return;
  }
  const { publicKey } = sender;
  const identity = ctx.simulated?.identity(publicKey) ?? identityOf(publicKey);
  // A literal, not a spread of `opened`: this runs for every datagram.
  const decoded: ReceivedPacket = {
    packet: opened.packet,
    hash: opened.hash,
    publicKey,
    nodeId: identity.id,
    idHex: identity.hex,
  };
  ctx.metrics.countIn(decoded.packet.type);
  if (equalBytes(decoded.nodeId, ctx.localNode.id)) {
    ctx.metrics.countDropped('self');
    return;
  }
  if (ctx.bans.isBannedId(decoded.nodeId)) {
    ctx.metrics.countDropped('banned');
    return;
  }
  handlePacket(ctx, decoded, from, replies);
}

/** A verified packet with its sender's ID in hex, which the handlers key bonds and replies by. */
interface ReceivedPacket extends DecodedPacket {
  readonly idHex: string;
}

function identityOf(publicKey: Uint8Array): NodeIdentity {
  const id = nodeIdFromPublicKey(publicKey);
  return { id, hex: bytesToHex(id) };
}

function handlePacket(
  ctx: ServiceContext,
  decoded: ReceivedPacket,
  from: DatagramAddress,
  replies: readonly PendingSeal[] | undefined,
): void {
  const { packet } = decoded;
  if (packet.type !== 'enr-response') {
    const now = ctx.clock.now();
    if (isExpired(packet.expiration, now)) {
      ctx.drift.expired(now);
      drop(ctx, 'expired', decoded, from);
      return;
    }
    ctx.drift.fresh();
  }
  switch (packet.type) {
    case 'ping':
      handlePing(ctx, decoded, packet, from, replies);
      return;
    case 'findnode':
      whenBonded(ctx, decoded, from, () =>
        send(replies ?? sealAnswers(ctx, neighborsFor(ctx, packet, from), from)),
      );
      return;
    case 'enr-request':
      whenBonded(ctx, decoded, from, () =>
        send(replies ?? sealAnswers(ctx, [enrResponseFor(ctx, decoded.hash)], from)),
      );
      return;
    default:
      handleReply(ctx, decoded, from);
  }
}

/**
 * Ping: send its Pong (sealed while the Ping was verified, see {@link presealReplies}). Then bond
 * back: a pinger whose pong we have not seen within the bond lifetime is pinged and added to the
 * table when its Pong arrives; a bonded one is added at once. Finally the ping time is stored and
 * the Ping's `To` is fed to the endpoint predictor.
 */
function handlePing(
  ctx: ServiceContext,
  decoded: ReceivedPacket,
  packet: PingPacket,
  from: DatagramAddress,
  pong: readonly PendingSeal[] | undefined,
): void {
  const now = ctx.clock.now();
  // No Pong was sealed only for a Ping expired on arrival, which never gets here.
  if (pong !== undefined) send(pong);
  if (ctx.allowIp(from.address)) {
    const key = bondKey(decoded.idHex, from.address);
    if (ctx.pingBacks.isPending(key)) {
      // Its Pong would have ended the ping-back: not bonded, and nothing for the database to
      // tell but the Ping's time. Replayed Pings take this path; if the pinger bonds meanwhile,
      // that ping-back adds it to the table.
      ctx.metrics.count('pingBacksSkipped');
      void ctx.tasks.spawn(recordPing(ctx, decoded, from, now));
    } else {
      void ctx.tasks.spawn(bondBack(ctx, decoded, from, packet.from.tcp, now, key));
    }
  }
  if (packet.to.ip !== undefined) {
    ctx.localNode.udpEndpointStatement(from.address, { ip: packet.to.ip, port: packet.to.udp });
  }
}

/**
 * Adds a bonded pinger to the table, or pings an unbonded one back. At most one ping-back per
 * (ID, IP) is pending at a time, and at most `config.maxPingBacks` in all, so a replayed Ping
 * costs no more than one signature and cannot fill the reply matcher our own requests need.
 */
async function bondBack(
  ctx: ServiceContext,
  decoded: ReceivedPacket,
  from: DatagramAddress,
  tcp: number,
  now: number,
  key: string,
): Promise<void> {
  const ip = from.address;
  // The pinger's Node is built only once it is needed: under a flood of replayed Pings most
  // ping-backs are skipped, and the key was already recovered and hashed by the decoder.
  const pinger = (): Node =>
    ctx.simulated?.node(decoded.publicKey, { ip, udp: from.port, tcp }) ??
    Node.fromPublicKey(decoded.publicKey, { ip, udp: from.port, ...(tcp === 0 ? {} : { tcp }) });
  try {
    const bonded = await isBonded(ctx, decoded.nodeId, decoded.idHex, ip);
    await ctx.db.updateLastPingReceived(decoded.nodeId, ip, now);
    if (bonded) {
      ctx.table.addInboundNode(pinger());
      return;
    }
    if (!ctx.pingBacks.tryAcquire(key)) {
      ctx.metrics.count('pingBacksSkipped');
      return;
    }
    const node = pinger();
    try {
      if ((await tryPing(ctx, node, undefined, 'ping')) !== undefined) {
        ctx.table.addInboundNode(node);
      }
    } finally {
      ctx.pingBacks.release(key);
    }
  } catch (err) {
    if (!ctx.signal.aborted) ctx.logger.debug('bonding back failed', { ip, err: String(err) });
  }
}

/** Stores the time of a Ping whose sender is being pinged back already. */
async function recordPing(
  ctx: ServiceContext,
  decoded: ReceivedPacket,
  from: DatagramAddress,
  now: number,
): Promise<void> {
  try {
    await ctx.db.updateLastPingReceived(decoded.nodeId, from.address, now);
  } catch (err) {
    if (!ctx.signal.aborted) ctx.logger.debug('recording a ping failed', { err: String(err) });
  }
}

/** Whether (id, ip) sent us a Pong matching one of our Pings within the bond lifetime. */
async function isBonded(
  ctx: ServiceContext,
  id: Uint8Array,
  idHex: string,
  ip: string,
): Promise<boolean> {
  if (bondedInCache(ctx, idHex, ip)) return true;
  return isBondFresh(ctx, await ctx.db.lastPongReceived(id, ip));
}

/** {@link isBonded} from the bond cache alone; a miss says nothing. */
function bondedInCache(ctx: ServiceContext, idHex: string, ip: string): boolean {
  return isBondFresh(ctx, ctx.bonds.get(idHex, ip) ?? 0);
}

/**
 * Runs `answer` only for a bonded sender; anything else gets no reply at all (geth
 * `errUnknownNode`, the anti-amplification rule). The bond is keyed by (ID, source IP), so a known
 * ID from another IP is not bonded. A bond in the cache answers at once; otherwise the node
 * database decides, in a tracked task.
 */
function whenBonded(
  ctx: ServiceContext,
  decoded: ReceivedPacket,
  from: DatagramAddress,
  answer: () => void,
): void {
  if (bondedInCache(ctx, decoded.idHex, from.address)) answer();
  else void ctx.tasks.spawn(whenBondedInDb(ctx, decoded, from, answer));
}

async function whenBondedInDb(
  ctx: ServiceContext,
  decoded: ReceivedPacket,
  from: DatagramAddress,
  answer: () => void,
): Promise<void> {
  try {
    if (!isBondFresh(ctx, await ctx.db.lastPongReceived(decoded.nodeId, from.address))) {
      drop(ctx, 'unbonded', decoded, from);
      return;
    }
    if (!ctx.signal.aborted) answer();
  } catch (err) {
    if (!ctx.signal.aborted) ctx.logger.debug('handling request failed', { err: String(err) });
  }
}

/** Starts sealing the answers to a request (a request's answers are worth `request`). */
function sealAnswers(
  ctx: ServiceContext,
  answers: readonly PacketInput[],
  from: DatagramAddress,
): PendingSeal[] {
  return answers.map((a) => new PendingSeal(ctx, a, from, 'request'));
}

/** Sends the replies to a request, each once it is sealed. */
function send(replies: readonly PendingSeal[]): void {
  for (const reply of replies) reply.send();
}

/**
 * The answer to a FindNode: the 16 table nodes closest to keccak256(target), validated-live
 * ones only when there are any (geth), minus those the requester may not be told about (relay
 * rules), in Neighbors packets of at most 12; no nodes still gives one empty Neighbors.
 */
function neighborsFor(
  ctx: ServiceContext,
  packet: FindNodePacket,
  from: DatagramAddress,
): PacketInput[] {
  const target = keccak256(packet.target);
  const closest = ctx.table.closest(target, FINDNODE_RESULT_SIZE, ctx.config.findnodeLivenessCheck);
  const relayable = relayIpChecker(from.address);
  const nodes: NeighborNode[] = [];
  for (const n of closest) {
    if (n.ip === undefined || n.udp === undefined) continue;
    if (relayable(n.ip) !== undefined) continue;
    nodes.push({ ip: n.ip, udp: n.udp, tcp: n.tcp ?? 0, publicKey: n.publicKey });
  }
  const expiration = expirationFromNow(ctx.clock.now());
  return chunkNeighbors(nodes).map((chunk) => ({ type: 'neighbors', nodes: chunk, expiration }));
}

/** The answer to an ENRRequest: the request hash and our current record. */
function enrResponseFor(ctx: ServiceContext, requestHash: Uint8Array): PacketInput {
  return { type: 'enr-response', requestHash, record: ctx.localNode.record() };
}

/**
 * Pong, Neighbors, ENRResponse: offered to the pending requests; if none takes it, it is
 * unsolicited and has no effect (geth `errUnsolicitedReply`). A matched Pong records the bond (in
 * the bond cache at once, in the node database asynchronously) and feeds its `To` to the
 * endpoint predictor.
 */
function handleReply(ctx: ServiceContext, decoded: ReceivedPacket, from: DatagramAddress): void {
  const { packet } = decoded;
  const { idHex } = decoded;
  const key = { from: idHex, ip: from.address, type: PACKET_TYPE[packet.type] };
  if (!ctx.matcher.dispatch(key, decoded)) {
    drop(ctx, 'unsolicited', decoded, from);
    return;
  }
  if (packet.type !== 'pong') return;
  if (packet.to.ip !== undefined) {
    ctx.localNode.udpEndpointStatement(from.address, { ip: packet.to.ip, port: packet.to.udp });
  }
  const now = ctx.clock.now();
  ctx.bonds.set(idHex, from.address, now);
  const write = ctx.db.updateLastPongReceived(decoded.nodeId, from.address, now);
  void ctx.tasks.spawn(
    write.catch((err: unknown) =>
      ctx.logger.debug('storing pong time failed', { err: String(err) }),
    ),
  );
}

function drop(
  ctx: ServiceContext,
  reason: 'expired' | 'unsolicited' | 'unbonded',
  decoded: ReceivedPacket,
  from: DatagramAddress,
): void {
  ctx.metrics.countDropped(reason);
  ctx.logger.debug('dropping discv4 packet', {
    reason,
    type: decoded.packet.type,
    from: `${from.address}:${from.port}`,
  });
}
