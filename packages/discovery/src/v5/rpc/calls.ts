/**
 * Pending calls of `DiscV5Rpc`: one active call per node and endpoint at a time, the rest
 * queued (geth `callQueue`/`activeCallByNode`), so that concurrent requests to a new node do not
 * each trigger a handshake. Indexed by request ID and by the nonce of the packet last sent.
 * @module
 */
import type { Timer } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import type { Endpoint } from '../session/keys.ts';
import type { V5Message } from '../wire/messages.ts';
import type { NodesCollector } from './nodes.ts';

/** A request waiting for its response. */
export interface Call {
  readonly node: Node;
  readonly endpoint: Endpoint;
  /** `sessionKey(node.id, endpoint)`. */
  readonly peerKey: string;
  readonly reqIdHex: string;
  readonly message: V5Message;
  /** Hex of the nonce of the packet last sent for this call. */
  nonceHex: string | undefined;
  /** Handshakes done for this call: a second WHOAREYOU is not answered. */
  handshakes: number;
  timer: Timer | undefined;
  /** NODES messages received and the total announced (capped). */
  responses: number;
  total: number | undefined;
  readonly collector: NodesCollector | undefined;
  /** Settles the caller's promise; called once, by `CallTable.finish` users. */
  readonly settle: (outcome: { ok: true; value: unknown } | { ok: false; error: unknown }) => void;
}

/** The call indexes. Owned by one `DiscV5Rpc`, synchronous. */
export class CallTable {
  readonly #byReqId = new Map<string, Call>();
  readonly #byNonce = new Map<string, Call>();
  readonly #queues = new Map<string, Call[]>();

  /** Calls pending (active and queued). */
  get size(): number {
    return this.#byReqId.size;
  }

  /** Every pending call. */
  all(): Call[] {
    return [...this.#byReqId.values()];
  }

  /** Adds a call; returns whether it is the active call of its peer (to be sent now). */
  add(call: Call): boolean {
    this.#byReqId.set(call.reqIdHex, call);
    const queue = this.#queues.get(call.peerKey);
    if (queue === undefined) {
      this.#queues.set(call.peerKey, [call]);
      return true;
    }
    queue.push(call);
    return false;
  }

  byReqId(hex: string): Call | undefined {
    return this.#byReqId.get(hex);
  }

  byNonce(hex: string): Call | undefined {
    return this.#byNonce.get(hex);
  }

  /** The active call of a peer. */
  active(peerKey: string): Call | undefined {
    return this.#queues.get(peerKey)?.[0];
  }

  /** Records the nonce of the packet just sent for `call`. */
  setNonce(call: Call, nonceHex: string): void {
    if (call.nonceHex !== undefined) this.#byNonce.delete(call.nonceHex);
    call.nonceHex = nonceHex;
    this.#byNonce.set(nonceHex, call);
  }

  /**
   * Removes `call`; returns the call of the same peer that becomes active (to be sent now), if
   * `call` was the active one and another is queued.
   */
  remove(call: Call): Call | undefined {
    this.#byReqId.delete(call.reqIdHex);
    if (call.nonceHex !== undefined) this.#byNonce.delete(call.nonceHex);
    const queue = this.#queues.get(call.peerKey);
    if (queue === undefined) return undefined;
    const index = queue.indexOf(call);
    if (index >= 0) queue.splice(index, 1);
    if (queue.length === 0) {
      this.#queues.delete(call.peerKey);
      return undefined;
    }
    return index === 0 ? queue[0] : undefined;
  }
}

/** The request message of a call. */
export function requestMessage(
  kind: 'ping' | 'findnode' | 'talkreq',
  reqId: Uint8Array,
  enrSeq: bigint,
  fields: { distances?: number[]; protocol?: Uint8Array; request?: Uint8Array },
): V5Message {
  switch (kind) {
    case 'ping':
      return { type: 'ping', reqId, enrSeq };
    case 'findnode':
      return { type: 'findnode', reqId, distances: fields.distances ?? [] };
    case 'talkreq':
      return {
        type: 'talkreq',
        reqId,
        protocol: fields.protocol ?? new Uint8Array(0),
        request: fields.request ?? new Uint8Array(0),
      };
  }
}
