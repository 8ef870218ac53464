/**
 * Answers to requests from the network: PONG, NODES (our record for distance 0, the handler's
 * nodes for the rest, capped and packed by size) and TALKRESP (empty when the handler fails).
 * Requests only reach here over a session, so only nodes that completed a handshake get NODES.
 * @module
 */
import type { Logger } from '@ethp2p/base';
import { assertBytes } from '@ethp2p/crypto';
import type { LocalNode, Node } from '@ethp2p/enode';
import type { Session } from '../session/session-cache.ts';
import type { V5Message } from '../wire/messages.ts';
import type { DiscV5RpcConfig } from './config.ts';
import type { RpcCounters } from './metrics.ts';
import { packRecords } from './nodes.ts';
import type { V5RequestHandlers, V5RequestSource } from './types.ts';

/** What answering needs from `DiscV5Rpc`. */
export interface ResponderContext {
  readonly localNode: LocalNode;
  readonly config: DiscV5RpcConfig;
  readonly counters: RpcCounters;
  readonly logger: Logger;
  /** The handlers set now. */
  readonly handlers: () => V5RequestHandlers;
  /** Whether the rpc is closing: late TALKRESPs are not sent then. */
  readonly closed: () => boolean;
  /** Tracks a task until the rpc closes. */
  readonly spawn: (task: Promise<void>) => void;
  /** Sends `message` over `session`. */
  readonly reply: (session: Session, message: V5Message) => void;
}

type Request = Extract<V5Message, { type: 'ping' | 'findnode' | 'talkreq' }>;

/** Answers one request that arrived over `session`. */
export function answerRequest(ctx: ResponderContext, session: Session, message: Request): void {
  const { node, endpoint } = session;
  const from: V5RequestSource = { id: node.id, ip: endpoint.ip, port: endpoint.port };
  switch (message.type) {
    case 'ping':
      ctx.reply(session, {
        type: 'pong',
        reqId: message.reqId,
        enrSeq: ctx.localNode.seq,
        ip: endpoint.ip,
        port: endpoint.port,
      });
      return;
    case 'findnode': {
      const nodes = findNodes(ctx, message.distances, from);
      const groups = packRecords(nodes, ctx.config.nodesPacketRecordBytes);
      for (const records of groups) {
        ctx.reply(session, { type: 'nodes', reqId: message.reqId, total: groups.length, records });
      }
      return;
    }
    case 'talkreq':
      ctx.spawn(talk(ctx, session, message, from));
      return;
  }
}

/** The nodes answering FINDNODE: our record for distance 0, the handler's for the others. */
function findNodes(
  ctx: ResponderContext,
  distances: readonly number[],
  from: V5RequestSource,
): Node[] {
  const unique = [...new Set(distances)];
  const nodes: Node[] = [];
  if (unique.includes(0)) nodes.push(ctx.localNode.node());
  const others = unique.filter((d) => d !== 0);
  if (others.length > 0) {
    try {
      nodes.push(...ctx.handlers().findNodes(others, from));
    } catch (err) {
      ctx.logger.warn('discv5 findNodes handler failed', { err });
    }
  }
  return nodes.slice(0, ctx.config.findNodeResultLimit);
}

async function talk(
  ctx: ResponderContext,
  session: Session,
  message: Extract<V5Message, { type: 'talkreq' }>,
  from: V5RequestSource,
): Promise<void> {
  let response: Uint8Array;
  try {
    response = await ctx.handlers().talk(message.protocol, message.request, from);
    assertBytes('response', response);
  } catch (err) {
    ctx.counters.drop('talk-handler-error');
    ctx.logger.debug('discv5 talk handler failed', { err });
    response = new Uint8Array(0);
  }
  if (ctx.closed()) return;
  ctx.reply(session, { type: 'talkresp', reqId: message.reqId, response });
}
