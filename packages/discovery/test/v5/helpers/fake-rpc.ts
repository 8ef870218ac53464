/**
 * An in-memory network of fake discv5 rpcs for the service's unit tests: requests go straight to
 * the other node's handlers (no packets, no crypto), unreachable nodes time out on the injected
 * clock, and every first contact between two nodes counts as a handshake both ways.
 */
import { type Clock, sleep } from '@ethp2p/base';
import { bytesToHex } from '@ethp2p/crypto';
import type { LocalNode, Node } from '@ethp2p/enode';
import { logDistance } from '@ethp2p/enode';
import { type DiscV5RpcMetrics, RpcCounters } from '../../../src/v5/rpc/metrics.ts';
import type { V5PingResult, V5RequestHandlers, V5Rpc } from '../../../src/v5/rpc/types.ts';

/** geth's discv5 response timeout (`respTimeoutV5`). */
export const FAKE_TIMEOUT_MS = 700;

/** One request a fake rpc made. */
export interface FakeCall {
  readonly method: 'ping' | 'findNode' | 'talkRequest';
  readonly to: string;
  readonly distances?: readonly number[];
}

/** The nodes of one fake network, by ID hex. */
export class FakeV5Network {
  readonly clock: Clock;
  readonly #rpcs = new Map<string, FakeV5Rpc>();

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** A new rpc for `localNode`, reachable at its record's endpoint. */
  rpc(localNode: LocalNode): FakeV5Rpc {
    const rpc = new FakeV5Rpc(this, localNode);
    this.#rpcs.set(bytesToHex(localNode.id), rpc);
    return rpc;
  }

  /** The rpc answering at `node`'s ID and endpoint, if it is up. */
  reach(node: Node): FakeV5Rpc | undefined {
    const rpc = this.#rpcs.get(bytesToHex(node.id));
    if (rpc === undefined || rpc.down || rpc.closed || rpc.handlers === undefined) return undefined;
    const self = rpc.localNode.node();
    if (self.ip !== node.ip || self.udp !== node.udp) return undefined;
    return rpc;
  }

  remove(rpc: FakeV5Rpc): void {
    this.#rpcs.delete(bytesToHex(rpc.localNode.id));
  }
}

/** A fake {@link V5Rpc}: answers come from the other node's handlers. */
export class FakeV5Rpc implements V5Rpc {
  readonly localNode: LocalNode;
  readonly calls: FakeCall[] = [];
  handlers: V5RequestHandlers | undefined;
  /** When set, requests to this node time out. */
  down = false;
  closed = false;
  readonly #net: FakeV5Network;
  readonly #contacted = new Set<string>();

  constructor(net: FakeV5Network, localNode: LocalNode) {
    this.#net = net;
    this.localNode = localNode;
  }

  /** Requests made count as packets out; each node first contacted as one session. */
  get metrics(): DiscV5RpcMetrics {
    return {
      packetsIn: 0,
      packetsOut: this.calls.length,
      handshakesInitiated: this.#contacted.size,
      handshakesAccepted: 0,
      whoareyouSent: 0,
      dropped: new RpcCounters().dropped,
      sessions: this.#contacted.size,
      pendingChallenges: 0,
      pendingCalls: 0,
    };
  }

  setHandlers(handlers: V5RequestHandlers): void {
    if (this.handlers !== undefined) throw new Error('handlers set twice');
    this.handlers = handlers;
  }

  async ping(node: Node, options: { signal?: AbortSignal } = {}): Promise<V5PingResult> {
    this.calls.push({ method: 'ping', to: bytesToHex(node.id) });
    const peer = await this.#reach(node, options.signal);
    const self = this.localNode.node();
    return { enrSeq: peer.localNode.seq, ip: self.ip ?? '', port: self.udp ?? 0 };
  }

  async findNode(
    node: Node,
    distances: readonly number[],
    options: { signal?: AbortSignal } = {},
  ): Promise<Node[]> {
    this.calls.push({ method: 'findNode', to: bytesToHex(node.id), distances: [...distances] });
    const peer = await this.#reach(node, options.signal);
    const peerSelf = peer.localNode.node();
    const from = this.#from();
    const found = [
      ...(distances.includes(0) ? [peerSelf] : []),
      ...(peer.handlers?.findNodes(distances, from) ?? []),
    ];
    return found.filter((n) => distances.includes(logDistance(n.id, peerSelf.id)));
  }

  async talkRequest(
    node: Node,
    protocol: Uint8Array,
    request: Uint8Array,
    options: { signal?: AbortSignal } = {},
  ): Promise<Uint8Array> {
    this.calls.push({ method: 'talkRequest', to: bytesToHex(node.id) });
    const peer = await this.#reach(node, options.signal);
    return (await peer.handlers?.talk(protocol, request, this.#from())) ?? new Uint8Array(0);
  }

  close(): Promise<void> {
    this.closed = true;
    this.#net.remove(this);
    return Promise.resolve();
  }

  #from(): { id: Uint8Array; ip: string; port: number } {
    const self = this.localNode.node();
    return { id: self.id, ip: self.ip ?? '', port: self.udp ?? 0 };
  }

  /** The answering peer after a turn; a timeout on the clock when it is unreachable. */
  async #reach(node: Node, signal: AbortSignal | undefined): Promise<FakeV5Rpc> {
    const abort = signal ?? new AbortController().signal;
    abort.throwIfAborted();
    if (this.closed) throw new Error('rpc closed');
    await Promise.resolve();
    const peer = this.#net.reach(node);
    if (peer === undefined) {
      await sleep(this.#net.clock, FAKE_TIMEOUT_MS, abort);
      throw new Error('timeout');
    }
    const key = bytesToHex(node.id);
    if (!this.#contacted.has(key)) {
      this.#contacted.add(key);
      peer.handlers?.seen(this.localNode.node());
      this.handlers?.seen(peer.localNode.node());
    }
    return peer;
  }
}
