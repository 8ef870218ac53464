/**
 * The `peerEvents` subscription of the `admin` namespace: the server's peer events in geth's
 * `p2p.PeerEvent` JSON shape (`type` add, drop, msgsend or msgrecv; `peer`; `error`; `protocol`;
 * `msg_code`; `msg_size`; `local`; `remote`).
 *
 * msgsend and msgrecv come from the server's `peer:msg` events, which exist only when it was
 * built with `enableMsgEvents`; `FullNode`'s server always is (for this subscription), so they
 * flow whenever the node runs.
 * @module
 */
import { nodeIdToHex } from '@ethp2p/enode';
import {
  discReasonText,
  type PeerAddedEvent,
  type PeerMessageEvent,
  type PeerRemovedEvent,
  type Server,
  type ServerEvents,
} from '@ethp2p/server';
import { type RpcSubscription, rpcSubscription } from '../registry.ts';
import { type NodeRpcBackend, runningServer } from './backend.ts';

/** A peer event as geth's `admin_peerEvents` sends it. */
export interface PeerEventJson {
  readonly type: 'add' | 'drop' | 'msgsend' | 'msgrecv';
  /** The peer's node ID in hex. */
  readonly peer: string;
  /** Why the peer dropped (drop only). */
  readonly error?: string;
  /** The protocol's name (msgsend, msgrecv). */
  readonly protocol?: string;
  /** The code relative to the protocol (msgsend, msgrecv). */
  readonly msg_code?: number;
  /** The payload size in bytes (msgsend, msgrecv). */
  readonly msg_size?: number;
  /** Our `ip:port` of the connection. */
  readonly local?: string;
  /** The remote `ip:port` of the connection. */
  readonly remote?: string;
}

/** `drop`'s error text: the error's message, else the reason's text (geth `err.Error()`). */
function dropError({ reason, error }: PeerRemovedEvent): string {
  return error instanceof Error && error.message !== '' ? error.message : discReasonText(reason);
}

/** `add`. */
function added({ peer }: PeerAddedEvent): PeerEventJson {
  return {
    type: 'add',
    peer: nodeIdToHex(peer.id),
    local: peer.localAddress,
    remote: peer.remoteAddress,
  };
}

/** `drop`. */
function dropped(event: PeerRemovedEvent): PeerEventJson {
  const { peer } = event;
  return {
    type: 'drop',
    peer: nodeIdToHex(peer.id),
    error: dropError(event),
    local: peer.localAddress,
    remote: peer.remoteAddress,
  };
}

/** `msgsend` or `msgrecv`. */
function message({ peer, direction, protocol, code, size }: PeerMessageEvent): PeerEventJson {
  return {
    type: direction === 'send' ? 'msgsend' : 'msgrecv',
    peer: nodeIdToHex(peer.id),
    protocol,
    msg_code: code,
    msg_size: size,
    local: peer.localAddress,
    remote: peer.remoteAddress,
  };
}

/** Adds `listener` for `event` and returns its removal. */
function listen<K extends keyof ServerEvents>(
  server: Server,
  event: K,
  listener: ServerEvents[K],
): () => void {
  server.events.on(event, listener as never);
  return () => server.events.off(event, listener as never);
}

/** The subscription; every item is a {@link PeerEventJson}. */
export function peerEventsSubscription(backend: NodeRpcBackend): RpcSubscription {
  return rpcSubscription([], (emit) => {
    const server = runningServer(backend);
    const removals = [
      listen(server, 'peer:added', (e) => emit(added(e))),
      listen(server, 'peer:removed', (e) => emit(dropped(e))),
      listen(server, 'peer:msg', (e) => emit(message(e))),
    ];
    return () => {
      for (const remove of removals) remove();
    };
  });
}
