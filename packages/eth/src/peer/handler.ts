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
import type { Logger } from '@ethp2p/base';
import {
  encodeBool,
  encodeList,
  encodeUint,
  listItems,
  type RlpItem,
  readRoot,
  readU64,
} from '@ethp2p/base/rlp';
import { keccak256 } from '@ethp2p/crypto';
import { DiscReason, type Msg, type MsgReader, PeerError } from '@ethp2p/server';
import type { Backend } from '../chain/types.ts';
import { decoding } from '../decoding.ts';
import type { BlockRangeUpdate, NewBlock } from '../messages/blocks.ts';
import { serveAccessLists } from '../serve/access-lists.ts';
import { serveBodies } from '../serve/bodies.ts';
import { serveCells } from '../serve/cells.ts';
import { serveHeaders } from '../serve/headers.ts';
import { serveReceipts } from '../serve/receipts.ts';
import { MAX_PENDING_RESPONSES } from './constants.ts';
import { asProtocolError, RequestError } from './errors.ts';
import type { EthPeer } from './eth-peer.ts';
import {
  type AnyEthMessage,
  decodeAny,
  type EthMessages,
  type MessageWriter,
} from './message-writer.ts';
import type { ServeLane } from './serve-budget.ts';
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
  /** The peer's place in the node's serve budget: each message is handled at its turn. */
  readonly lane: ServeLane;
  /** Called once when the loop ends, however it ends. */
  readonly onEnd?: () => void;
}

/** A response handed to the writer: its size and the promise of its write. */
interface Response {
  readonly bytes: number;
  readonly written: Promise<void>;
}

/**
 * Reads and handles messages until the stream closes or a message ends the peer.
 * @throws {PeerError} for a message that ends the peer; the stream's error if it closes while
 *   the run is not aborted
 */
export async function handleMessages(ctx: HandlerContext): Promise<void> {
  try {
    for (;;) {
      try {
        await handleNext(ctx);
      } catch (err) {
        if (ctx.signal.aborted) return;
        throw err;
      }
    }
  } finally {
    ctx.onEnd?.();
  }
}

/**
 * Reads and handles one message. In a call of its own so that nothing of the message outlives
 * it: an async function suspended in a loop keeps the last iteration's locals alive (V8 does not
 * clear them at an `await`), so a loop that read into a local would hold each idle peer's last
 * message (up to 10 MiB decompressed) until the next one came.
 */
async function handleNext(ctx: HandlerContext): Promise<void> {
  const msg = await ctx.rw.readMsg();
  await handleMessage(ctx, msg);
}

/**
 * Handles one message at the peer's turn in the serve budget: decode, dispatch and, for a
 * request, the response's encoding and write, all charged to the peer. A response is then
 * written in the background, so two peers answering each other never wait on each other; past
 * {@link MAX_PENDING_RESPONSES} unwritten messages the loop waits for it.
 * @throws {PeerError} if it ends the peer
 */
export async function handleMessage(ctx: HandlerContext, msg: Msg): Promise<void> {
  const response = await ctx.lane.run(
    () => {
      const r = handleNow(ctx, msg);
      // Charged inside the job, so the next job of the rotation sees it in flight.
      if (r !== undefined) ctx.lane.sent(r.bytes, r.written);
      return r;
    },
    { solicited: isResponse(ctx, msg.code) },
  );
  if (response === undefined) return;
  const quiet = response.written.catch((err: unknown) =>
    ctx.log.debug('eth response not written', { error: String(err) }),
  );
  if (ctx.writer.pending > MAX_PENDING_RESPONSES) await quiet;
}

/** Whether `code` is a response to a request of ours (the tracker refuses unsolicited ones). */
function isResponse(ctx: HandlerContext, code: number): boolean {
  const { codecs } = ctx.writer.version;
  return (
    code === codecs.BlockHeaders.code ||
    code === codecs.BlockBodies.code ||
    code === codecs.Receipts.code ||
    code === codecs.PooledTransactions.code ||
    ('BlockAccessLists' in codecs && code === codecs.BlockAccessLists.code) ||
    ('Cells' in codecs && code === codecs.Cells.code)
  );
}

function handleNow(ctx: HandlerContext, msg: Msg): Response | undefined {
  let m: AnyEthMessage;
  try {
    m = decodeAny(ctx.writer.version, msg);
  } catch (err) {
    throw asProtocolError(err);
  }
  try {
    return dispatch(ctx, m);
  } catch (err) {
    if (err instanceof RequestError) {
      // A response that breaks a content rule (EIP-7975 bounds, cells not asked for) is a
      // subprotocol violation; one that breaks the request rules is a protocol error.
      const reason =
        err.code === 'INVALID_RESPONSE' ? DiscReason.SubprotocolError : DiscReason.ProtocolError;
      throw new PeerError(reason, `eth: ${err.message}`, { cause: err });
    }
    throw asProtocolError(err);
  }
}

function dispatch(ctx: HandlerContext, m: AnyEthMessage): Response | undefined {
  const { peer, backend } = ctx;
  const { chain, txPool } = backend;
  switch (m.name) {
    case 'Status':
      throw new PeerError(DiscReason.ProtocolError, 'eth: extra status message');
    case 'GetBlockHeaders': {
      const { requestId, ...query } = m.value;
      return respondRaw(ctx, 'BlockHeaders', requestId, serveHeaders(chain, query));
    }
    case 'GetBlockBodies': {
      const bodies = serveBodies(chain, m.value.hashes);
      return respondRaw(ctx, 'BlockBodies', m.value.requestId, bodies);
    }
    case 'GetReceipts': {
      const { requestId, hashes } = m.value;
      const paged = 'firstBlockReceiptIndex' in m.value;
      const served = serveReceipts(chain, hashes, {
        version: peer.version,
        ...(paged ? { firstBlockReceiptIndex: m.value.firstBlockReceiptIndex } : {}),
      });
      if (!paged) return respondRaw(ctx, 'Receipts', requestId, served.receipts);
      // The lists come encoded from the chain: spliced in as they are.
      const data = encodeList([
        encodeUint(requestId),
        encodeBool(served.lastBlockIncomplete),
        encodeList(served.receipts),
      ]);
      return writeRaw(ctx, ctx.writer.version.codecs.Receipts.code, data);
    }
    case 'GetBlockAccessLists': {
      const accessLists = serveAccessLists(chain, m.value.hashes);
      return respond(ctx, 'BlockAccessLists', { requestId: m.value.requestId, accessLists });
    }
    case 'GetCells': {
      const served = serveCells(txPool, m.value.hashes, m.value.cellMask);
      return respond(ctx, 'Cells', { requestId: m.value.requestId, ...served });
    }
    case 'GetPooledTransactions': {
      const transactions = servePooledTransactions(txPool, m.value.hashes, peer.version);
      return respond(ctx, 'PooledTransactions', { requestId: m.value.requestId, transactions });
    }
    default:
      take(ctx, m);
      return undefined;
  }
}

/** Takes a message that needs no response. */
function take(ctx: HandlerContext, m: AnyEthMessage): void {
  const { peer, backend } = ctx;
  switch (m.name) {
    case 'BlockHeaders':
      peer.deliverResponse('BlockHeaders', m.value.requestId, [...m.value.headers]);
      return;
    case 'BlockBodies':
      peer.deliverResponse('BlockBodies', m.value.requestId, [...m.value.bodies]);
      return;
    case 'Receipts': {
      const lists = m.value.receipts.map((list) => [...list]);
      if ('lastBlockIncomplete' in m.value) {
        peer.deliverResponse('Receipts70', m.value.requestId, {
          lists,
          incomplete: m.value.lastBlockIncomplete,
        });
        return;
      }
      peer.deliverResponse('Receipts', m.value.requestId, lists);
      return;
    }
    case 'BlockAccessLists':
      peer.deliverResponse('BlockAccessLists', m.value.requestId, [...m.value.accessLists]);
      return;
    case 'Cells': {
      const { requestId, ...cells } = m.value;
      peer.deliverResponse('Cells', requestId, cells);
      return;
    }
    case 'PooledTransactions':
      peer.deliverResponse('PooledTransactions', m.value.requestId, [...m.value.transactions]);
      return;
    case 'Transactions':
      handleTransactions(peer, backend.txPool, m.value);
      return;
    case 'NewPooledTransactionHashes':
      handleAnnouncement(peer, backend.txPool, m.value, ctx.fetchAnnounced);
      return;
    case 'BlockRangeUpdate':
      peer.updateBlockRange(checkRange(m.value));
      return;
    case 'NewBlockHashes':
      peer.announcedBlocks(m.value);
      return;
    case 'NewBlock':
      handleNewBlock(peer, m.value);
      return;
  }
}

/** Encodes a response and hands it to the writer (its encoding and framing happen now). */
function respond<N extends 'PooledTransactions' | 'BlockAccessLists' | 'Cells'>(
  ctx: HandlerContext,
  name: N,
  value: EthMessages[N],
): Response {
  const { code, data } = ctx.writer.encode(name, value);
  return writeRaw(ctx, code, data);
}

/** Hands an encoded message to the writer. */
function writeRaw(ctx: HandlerContext, code: number, data: Uint8Array): Response {
  return { bytes: data.length, written: ctx.writer.write(code, data) };
}

/**
 * Hands `[request-id, [item, ...]]` to the writer with the chain's encodings spliced in as they
 * are: they come from our own chain, so the checks the codec runs on a caller's values (each
 * body's transactions decoded, for one) would only cost time.
 */
function respondRaw(
  ctx: HandlerContext,
  name: 'BlockHeaders' | 'BlockBodies' | 'Receipts',
  requestId: bigint,
  items: readonly Uint8Array[],
): Response {
  const { writer } = ctx;
  const data = encodeList([encodeUint(requestId), encodeList(items)]);
  return writeRaw(ctx, writer.version.codecs[name].code, data);
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

/**
 * Records an eth/68 NewBlock on the peer: the codec checked the block's shape; the hash and the
 * number are read from its header here (a header of fewer than 9 fields is MALFORMED).
 */
function handleNewBlock(peer: EthPeer, m: NewBlock): void {
  const { hash, number } = decoding(() => {
    const [header] = listItems(readRoot(m.block, 'NewBlock block'), 'NewBlock block');
    const fields = listItems(header, 'NewBlock header');
    const number = readU64(fields[8], 'NewBlock header.number');
    return { hash: keccak256((header as RlpItem).raw), number };
  });
  peer.receivedBlock(m.block, hash, number, m.td);
}
