/**
 * The eth message loop of one peer after its Status: read, check the size, decode with the
 * negotiated version's table, and dispatch: serve requests from the backend, hand responses to
 * the request tracker, take transactions, announcements and block ranges (geth
 * `eth/protocols/eth/handler.go` `Handle` and `handlers.go`).
 *
 * What ends the peer: an oversized, unknown or undecodable message, a second Status, and a
 * response the tracker refuses are ProtocolError (0x02); a message whose content breaks a rule
 * (an invalid block range, a blob transaction broadcast, too many transactions) is
 * SubprotocolError (0x10).
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md
 * @module
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from '@ethp2p/base';
import { encodeList, encodeUint, readRoot } from '@ethp2p/base/rlp';
import { DiscReason, type Msg, type MsgReader, PeerError } from '@ethp2p/server';
import { blockFromItem } from '../chain/block.ts';
import type { Backend } from '../chain/types.ts';
import { decoding } from '../decoding.ts';
import type { BlockRangeUpdate, NewBlock } from '../messages/blocks.ts';
import { serveBodies } from '../serve/bodies.ts';
import { serveHeaders } from '../serve/headers.ts';
import { serveReceipts } from '../serve/receipts.ts';
import { MAX_PENDING_RESPONSES } from './constants.ts';
import { asProtocolError, RequestError } from './errors.ts';
import type { EthPeer } from './eth-peer.ts';
import { type AnyEthMessage, decodeAny, type MessageWriter } from './message-writer.ts';
import { handleAnnouncement, handleTransactions, servePooledTransactions } from './tx-handlers.ts';

/** What the message loop of one peer works with. */
export interface HandlerContext {
  readonly peer: EthPeer;
  readonly rw: MsgReader;
  readonly writer: MessageWriter;
  readonly backend: Backend;
  /** Fetch announced transactions the pool lacks. */
  readonly fetchAnnounced: boolean;
  /** The run's signal: once aborted, a failed read ends the loop quietly. */
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/**
 * Reads and handles messages until the stream closes or a message ends the peer.
 * @throws {PeerError} for a message that ends the peer; the stream's error if it closes while
 *   the run is not aborted
 */
export async function handleMessages(ctx: HandlerContext): Promise<void> {
  for (;;) {
    let msg: Msg;
    try {
      msg = await ctx.rw.readMsg();
    } catch (err) {
      if (ctx.signal.aborted) return;
      throw err;
    }
    await handleMessage(ctx, msg);
  }
}

/** Handles one message. @throws {PeerError} if it ends the peer */
export async function handleMessage(ctx: HandlerContext, msg: Msg): Promise<void> {
  let m: AnyEthMessage;
  try {
    m = decodeAny(ctx.writer.version, msg);
  } catch (err) {
    throw asProtocolError(err);
  }
  try {
    await dispatch(ctx, m);
  } catch (err) {
    if (err instanceof RequestError) {
      throw new PeerError(DiscReason.ProtocolError, `eth: ${err.message}`, { cause: err });
    }
    throw asProtocolError(err);
  }
}

async function dispatch(ctx: HandlerContext, m: AnyEthMessage): Promise<void> {
  const { peer, backend, writer } = ctx;
  const { chain, txPool } = backend;
  switch (m.name) {
    case 'Status':
      throw new PeerError(DiscReason.ProtocolError, 'eth: extra status message');
    case 'GetBlockHeaders': {
      const { requestId, ...query } = m.value;
      const headers = serveHeaders(chain, query);
      return respond(ctx, writer.send('BlockHeaders', { requestId, headers }));
    }
    case 'GetBlockBodies': {
      const bodies = serveBodies(chain, m.value.hashes);
      return respond(ctx, writer.send('BlockBodies', { requestId: m.value.requestId, bodies }));
    }
    case 'GetReceipts': {
      const served = serveReceipts(chain, m.value.hashes, { version: peer.version });
      // The lists come encoded from the chain: spliced in as they are.
      const data = encodeList([encodeUint(m.value.requestId), encodeList(served.receipts)]);
      return respond(ctx, writer.write(writer.version.codecs.Receipts.code, data));
    }
    case 'GetPooledTransactions': {
      const transactions = servePooledTransactions(txPool, m.value.hashes);
      return respond(
        ctx,
        writer.send('PooledTransactions', { requestId: m.value.requestId, transactions }),
      );
    }
    case 'BlockHeaders':
      return peer.deliverResponse('BlockHeaders', m.value.requestId, [...m.value.headers]);
    case 'BlockBodies':
      return peer.deliverResponse('BlockBodies', m.value.requestId, [...m.value.bodies]);
    case 'Receipts':
      return peer.deliverResponse(
        'Receipts',
        m.value.requestId,
        m.value.receipts.map((list) => [...list]),
      );
    case 'PooledTransactions':
      return peer.deliverResponse('PooledTransactions', m.value.requestId, [
        ...m.value.transactions,
      ]);
    case 'Transactions':
      return handleTransactions(peer, txPool, m.value);
    case 'NewPooledTransactionHashes':
      return handleAnnouncement(peer, txPool, m.value, ctx.fetchAnnounced);
    case 'BlockRangeUpdate':
      return peer.updateBlockRange(checkRange(m.value));
    case 'NewBlockHashes':
      return peer.announcedBlocks(m.value);
    case 'NewBlock':
      return handleNewBlock(peer, m.value);
  }
}

/**
 * Lets a response be written in the background, so two peers answering each other never wait
 * on each other; past {@link MAX_PENDING_RESPONSES} unwritten messages the loop waits for it.
 * Either way the loop then yields to the event loop before it reads the next request: a peer
 * whose requests arrive back to back is served one request per turn, so other peers'
 * handshakes and discovery replies run in between (each serve is bounded by geth's limits).
 */
async function respond(ctx: HandlerContext, written: Promise<void>): Promise<void> {
  const quiet = written.catch((err: unknown) =>
    ctx.log.debug('eth response not written', { error: String(err) }),
  );
  if (ctx.writer.pending > MAX_PENDING_RESPONSES) await quiet;
  await nextTurn();
}

/** A BlockRangeUpdate that makes sense. @throws {PeerError} SubprotocolError otherwise */
function checkRange(u: BlockRangeUpdate): BlockRangeUpdate {
  if (u.earliest > u.latest || u.latestHash.every((b) => b === 0)) {
    throw new PeerError(
      DiscReason.SubprotocolError,
      `eth: invalid BlockRangeUpdate: earliest ${u.earliest}, latest ${u.latest}`,
    );
  }
  return u;
}

function handleNewBlock(peer: EthPeer, m: NewBlock): void {
  const { header } = decoding(() => blockFromItem(readRoot(m.block, 'NewBlock block')));
  peer.receivedBlock(m.block, header.hash, header.number, m.td);
}
