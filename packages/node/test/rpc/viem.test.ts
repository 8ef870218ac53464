/**
 * Compatibility with a maintained Ethereum JSON-RPC client: viem's public client drives every
 * method over its http and webSocket transports. viem routes only `eth_subscription`
 * notifications to its subscribe callbacks, so the `admin_subscription` items of peerEvents
 * are read from the socket of viem's own WebSocket RPC client, after subscribing through it.
 */
import { EventEmitter } from 'node:events';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Node, nodeIdToHex } from '@ethp2p/enode';
import {
  createPublicClient,
  http,
  InvalidParamsRpcError,
  MethodNotFoundRpcError,
  webSocket,
} from 'viem';
import { describe, expect, it } from 'vitest';
import { chainFixture, rpcNode, runningRpcNode } from './helpers/nodes.ts';

const f = chainFixture(8);
const running = runningRpcNode(f, 'a', { noDial: true });

/** viem's `request` for methods outside its typed schema. */
type Request = (args: { method: string; params?: unknown[] }) => Promise<unknown>;

/** viem's public client over `kind`, with a way to close its socket. */
function client(kind: 'http' | 'webSocket'): { request: Request; close: () => Promise<void> } {
  if (kind === 'http') {
    const c = createPublicClient({ transport: http(running.node.httpUrl, { retryCount: 0 }) });
    return { request: c.request as Request, close: async () => {} };
  }
  const c = createPublicClient({
    transport: webSocket(running.node.wsUrl, { retryCount: 0, reconnect: false }),
  });
  return {
    request: c.request as Request,
    close: async () => (await c.transport.getRpcClient()).close(),
  };
}

describe('viem', () => {
  it.each(['http', 'webSocket'] as const)('calls every method over %s', async (kind) => {
    const { request, close } = client(kind);
    try {
      const id = nodeIdToHex(running.node.self().id);
      expect(await request({ method: 'admin_nodeInfo' })).toMatchObject({
        id,
        enode: running.node.self().enodeUrl(),
      });
      expect(await request({ method: 'admin_peers' })).toEqual([]);
      expect(await request({ method: 'net_version' })).toBe(f.chain.config.networkId.toString());
      expect(await request({ method: 'net_peerCount' })).toBe('0x0');
      expect(await request({ method: 'net_listening' })).toBe(true);
      expect(await request({ method: 'web3_clientVersion' })).toMatch(/^ethp2p\/v/);
      expect(await request({ method: 'eth_chainId' })).toBe(
        `0x${f.chain.config.chainId.toString(16)}`,
      );
      expect(await request({ method: 'eth_blockNumber' })).toBe('0x8');
      expect(await request({ method: 'ethp2p_discoveryTable' })).toMatchObject({ self: id });
      expect(await request({ method: 'ethp2p_dialStats' })).toMatchObject({ attempts: 0 });
      const other = Node.fromPublicKey(publicKey(generatePrivateKey()), {
        ip: '127.0.0.1',
        tcp: 1,
      }).enodeUrl();
      for (const method of [
        'admin_addTrustedPeer',
        'admin_removeTrustedPeer',
        'admin_addPeer',
        'admin_removePeer',
      ]) {
        expect(await request({ method, params: [other] })).toBe(true);
      }
      await expect(request({ method: 'admin_addPeer', params: [42] })).rejects.toBeInstanceOf(
        InvalidParamsRpcError,
      );
      await expect(request({ method: 'nope_nope' })).rejects.toBeInstanceOf(MethodNotFoundRpcError);
    } finally {
      await close();
    }
  });

  it('sees add and drop peer events over its WebSocket client when a second node comes and goes', async () => {
    const transport = createPublicClient({
      transport: webSocket(running.node.wsUrl, { reconnect: false }),
    }).transport;
    const rpc = await transport.getRpcClient();
    const events: { type: string; peer: string }[] = [];
    let subscription = '';
    // viem's socket is a `ws` WebSocket on Node 20 and the global (EventTarget) one on Node 24:
    // relay its messages through an emitter that waitFor can subscribe to either way.
    const received = new EventEmitter();
    const onMessage = (e: { data: unknown }): void => {
      const msg = JSON.parse(String(e.data)) as {
        method?: string;
        params?: { subscription: string; result: { type: string; peer: string } };
      };
      if (msg.method === 'admin_subscription' && msg.params?.subscription === subscription) {
        events.push(msg.params.result);
      }
      received.emit('message');
    };
    rpc.socket.addEventListener('message', onMessage);
    const onSocket = { emitters: [received], events: ['message'] };
    const second = rpcNode(f, 'b', { discovery: false, staticNodes: [running.node.self()] });
    try {
      const answer = await rpc.requestAsync({
        body: { method: 'admin_subscribe', params: ['peerEvents'] },
      });
      subscription = answer.result as string;
      expect(subscription).toMatch(/^0x[0-9a-f]{32}$/);
      await second.start();
      const peer = nodeIdToHex(second.self().id);
      const seen = (type: string) => () => events.some((e) => e.type === type && e.peer === peer);
      await waitFor(seen('add'), {
        what: 'an add event',
        signal: AbortSignal.timeout(15_000),
        on: onSocket,
      });
      await second.stop();
      await waitFor(seen('drop'), {
        what: 'a drop event',
        signal: AbortSignal.timeout(15_000),
        on: onSocket,
      });
      const off = await rpc.requestAsync({
        body: { method: 'admin_unsubscribe', params: [subscription] },
      });
      expect(off.result).toBe(true);
    } finally {
      rpc.socket.removeEventListener('message', onMessage);
      await second.stop();
      rpc.close();
    }
  });
});
