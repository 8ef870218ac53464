/**
 * One path for every connection, inbound or outbound, from a finished RLPx handshake to a
 * running peer: the ban list (the key is known now), the `posthandshake` checkpoint, the Hello exchange, the `addpeer` checkpoint
 * (geth `Server.setupConn`). A refused connection gets a Disconnect with the reason.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#hello-0x00
 * @module
 */

import { once } from 'node:events';
import type { Socket } from 'node:net';
import type { Clock, Logger } from '@ethp2p/base';
import { Node, nodeIdToHex, normalizeIp } from '@ethp2p/enode';
import { accept, connect, type IngressBudget, type RlpxConnection } from '@ethp2p/rlpx';
import { type MatchedProtocol, matchProtocols } from '../caps.ts';
import { DialError } from '../dial/errors.ts';
import type { DialFlags } from '../dial/types.ts';
import { discReasonForError, PeerError } from '../errors.ts';
import { exchangeHello } from '../peer/hello-exchange.ts';
import { sendDisconnect } from '../peer/send-disconnect.ts';
import type { Protocol } from '../protocol.ts';
import {
  changeForEnd,
  changeForRlpxError,
  REPUTATION_CHANGE,
  type ReputationChange,
} from '../reputation/changes.ts';
import { DiscReason } from '../wire/disc-reason.ts';
import type { Hello } from '../wire/hello.ts';
import { addPeerCheck, type ConnFlags, postHandshakeCheck } from './checkpoints.ts';
import { connectionErrorClass, type SetupStage } from './connection-errors.ts';
import { formatHostPort } from './info.ts';
import type { ServerCounters } from './metrics.ts';
import type { PeerTable } from './peer-table.ts';

/** A connection that passed every checkpoint, ready to become a peer. */
export interface AcceptedConnection {
  readonly conn: RlpxConnection;
  readonly idHex: string;
  readonly remoteHello: Hello;
  readonly matched: readonly MatchedProtocol[];
  readonly flags: ConnFlags;
  readonly node: Node;
  /** Clock time the TCP connection was accepted or the dial started, in ms. */
  readonly startedAt: number;
}

/** What {@link setupConnection} reads from the server. */
export interface SetupContext {
  readonly hello: Hello;
  readonly protocols: readonly Protocol[];
  readonly table: PeerTable;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly privateKey: Uint8Array;
  /** Time allowed for the RLPx handshake, and again for Hello. */
  readonly handshakeTimeoutMs: number;
  /** The pool every connection's large incoming messages take room from. */
  readonly ingressBudget: IngressBudget;
  /** Counts attempts, failures by class and the bytes of failed connections. */
  readonly counters: ServerCounters;
  isTrusted(idHex: string): boolean;
  /** Whether node `idHex` is banned: checked right after the RLPx handshake reveals it. */
  isBannedId(idHex: string): boolean;
  /**
   * Applies the reputation change for a connection that failed or ended (`change` undefined:
   * nothing to apply), to the node ID and the IP each when known.
   */
  report(
    change: ReputationChange | undefined,
    id: Uint8Array | undefined,
    ip: string | undefined,
  ): void;
  /** True once the server is stopping: new peers are refused with ClientQuitting. */
  stopping(): boolean;
  /** Called once an inbound connection passed posthandshake, and again when setup ends. */
  inboundPending(id: Uint8Array, pending: boolean): void;
  /**
   * Called synchronously right after the addpeer checkpoint passed, so the check and the
   * insertion see the same state. It must add the peer.
   */
  launch(accepted: AcceptedConnection): void;
  /** Reports a refused connection (after its socket has closed). */
  failed(info: {
    readonly id: Uint8Array;
    readonly inbound: boolean;
    readonly remoteAddress: string;
    readonly reason: DiscReason;
    readonly remoteRequested: boolean;
    readonly error: unknown;
  }): void;
}

/**
 * An admitted inbound socket: the RLPx handshake as recipient, then {@link setupConnection}.
 * Never rejects; resolves once the peer runs or the socket is closed.
 */
export async function acceptInbound(
  ctx: SetupContext,
  socket: Socket,
  signal: AbortSignal,
): Promise<void> {
  const startedAt = ctx.clock.now();
  ctx.counters.attempt(true);
  let conn: RlpxConnection | undefined;
  try {
    conn = await accept(socket, {
      privateKey: ctx.privateKey,
      signal,
      clock: ctx.clock,
      handshakeTimeoutMs: ctx.handshakeTimeoutMs,
      ingressBudget: ctx.ingressBudget,
    });
    await setupConnection(ctx, conn, undefined, signal, startedAt);
  } catch (err) {
    ctx.logger.debug('inbound connection failed', { err: String(err) });
    if (conn === undefined) {
      const change = signal.aborted
        ? undefined
        : changeForRlpxError(err, REPUTATION_CHANGE.badHandshake);
      ctx.report(change, undefined, socket.remoteAddress);
    }
    // A failure after the RLPx handshake was counted (bytes included) by setupConnection.
    if (conn === undefined) ctx.counters.failed(true, connectionErrorClass(err, 'rlpx'));
    socket.destroy();
    if (!socket.closed) await once(socket, 'close');
    if (conn === undefined) ctx.counters.closed(socket.bytesRead, socket.bytesWritten);
  }
}

/**
 * The dial scheduler's dial function: TCP connect and the RLPx handshake as initiator (both
 * bounded by `signal`, which the scheduler aborts after the dial timeout), then
 * {@link setupConnection}.
 * A node known by hostname only (an enode URL with a DNS name) is dialed by that name: the TCP
 * connect resolves it.
 * @throws {DialError} `NOT_DIALABLE` for a node without an address and TCP port; the connect or
 * handshake error (an `RlpxError`, or `signal.reason`); the {@link PeerError} of a refusal
 */
export async function dialNode(
  ctx: SetupContext,
  node: Node,
  flags: DialFlags,
  signal: AbortSignal,
): Promise<void> {
  const host = node.ip ?? node.hostname;
  if (host === undefined || node.tcp === undefined) {
    throw new DialError('NOT_DIALABLE', 'node has no TCP endpoint');
  }
  const startedAt = ctx.clock.now();
  ctx.counters.attempt(false);
  const conn = await connect(host, node.tcp, node.publicKey, {
    privateKey: ctx.privateKey,
    signal,
    clock: ctx.clock,
    handshakeTimeoutMs: ctx.handshakeTimeoutMs,
    ingressBudget: ctx.ingressBudget,
  }).catch((err: unknown) => {
    ctx.counters.failed(false, connectionErrorClass(err, 'rlpx'));
    throw err;
  });
  await setupConnection(ctx, conn, { dest: node, static: flags.static }, signal, startedAt);
}

/**
 * Takes `conn` through the checkpoints and Hello; on success `ctx.launch` has added the peer.
 * `dest` is the node we dialed (undefined for inbound connections); `startedAt` the clock time
 * the TCP connection was accepted or the dial started (for the handshake duration).
 * @throws {PeerError} with the reason the connection was refused (by us or by the remote), or
 * the error that broke it; the connection is closed and its socket gone by then
 */
export async function setupConnection(
  ctx: SetupContext,
  conn: RlpxConnection,
  dial: { readonly dest: Node; readonly static: boolean } | undefined,
  signal: AbortSignal,
  startedAt: number,
): Promise<void> {
  const inbound = dial === undefined;
  const idHex = nodeIdToHex(conn.remoteId);
  const flags = (): ConnFlags => ({
    inbound,
    trusted: ctx.isTrusted(idHex),
    static: dial?.static ?? false,
  });
  let pending = false;
  let stage: SetupStage = 'checks';
  try {
    if (ctx.isBannedId(idHex)) throw new PeerError(DiscReason.Requested, 'node is banned');
    const early = ctx.stopping()
      ? DiscReason.ClientQuitting
      : postHandshakeCheck(ctx.table.snapshot(), idHex, flags());
    if (early !== null) throw new PeerError(early);
    if (inbound) {
      ctx.inboundPending(conn.remoteId, true);
      pending = true;
    }
    stage = 'hello';
    const remoteHello = await exchangeHello(conn, ctx.hello, {
      clock: ctx.clock,
      timeoutMs: ctx.handshakeTimeoutMs,
      signal,
    });
    stage = 'checks';
    const matched = matchProtocols(ctx.protocols, remoteHello.caps);
    const late = ctx.stopping()
      ? DiscReason.ClientQuitting
      : addPeerCheck(ctx.table.snapshot(), idHex, flags(), ctx.protocols, matched.length);
    if (late !== null) throw new PeerError(late);
    const node = dial?.dest ?? inboundNode(conn);
    ctx.launch({
      conn,
      idHex,
      remoteHello,
      matched,
      flags: flags(),
      node,
      startedAt,
    });
  } catch (err) {
    ctx.counters.failed(inbound, connectionErrorClass(err, stage));
    throw await refuse(ctx, conn, inbound, err, signal);
  } finally {
    if (pending) ctx.inboundPending(conn.remoteId, false);
  }
}

/** Tells the remote why (unless it told us), closes, waits for the socket, reports. */
async function refuse(
  ctx: SetupContext,
  conn: RlpxConnection,
  inbound: boolean,
  err: unknown,
  signal: AbortSignal,
): Promise<PeerError> {
  const remoteRequested = err instanceof PeerError && err.remoteRequested;
  const reason =
    signal.aborted && !(err instanceof PeerError)
      ? DiscReason.ClientQuitting
      : discReasonForError(err);
  const remoteAddress = formatHostPort(
    normalizeIp(conn.remoteAddress ?? '') ?? '?',
    conn.remotePort ?? 0,
  );
  if (!signal.aborted) {
    ctx.report(changeForEnd(reason, remoteRequested, err), conn.remoteId, conn.remoteAddress);
  }
  if (remoteRequested) conn.close();
  else await sendDisconnect(conn, reason, { clock: ctx.clock });
  await conn.whenClosed();
  ctx.counters.closed(conn.bytesRead, conn.bytesWritten);
  ctx.logger.debug('connection refused', { remoteAddress, inbound, reason, remoteRequested });
  ctx.failed({ id: conn.remoteId, inbound, remoteAddress, reason, remoteRequested, error: err });
  return err instanceof PeerError ? err : new PeerError(reason, undefined, { cause: err });
}

/** An inbound remote as a node: its key and its TCP source address (geth does the same). */
function inboundNode(conn: RlpxConnection): Node {
  const ip = normalizeIp(conn.remoteAddress ?? '');
  const port = conn.remotePort;
  return Node.fromPublicKey(conn.remotePublicKey, {
    ...(ip === undefined ? {} : { ip }),
    ...(port === undefined ? {} : { tcp: port }),
  });
}
