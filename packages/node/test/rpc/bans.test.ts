import { waitFor } from '@ethp2p/base/testing';
import { nodeIdToHex } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import type { FullNode } from '../../src/node/full-node.ts';
import { httpCall } from './helpers/clients.ts';
import { chainFixture, LOOPBACK_RPC, rpcNode } from './helpers/nodes.ts';

const f = chainFixture(4);

async function call(node: FullNode, method: string, params: unknown[] = []): Promise<unknown> {
  const reply = (await httpCall(node.httpUrl as string, method, params)) as {
    result?: unknown;
    error?: { message: string };
  };
  if (reply.error !== undefined) throw new Error(`${method}: ${reply.error.message}`);
  return reply.result;
}

describe('the ban list over RPC', () => {
  it('bans, lists, scores and unbans; bans refuse peers and survive a restart', async () => {
    const a = rpcNode(f, 'a', { noDial: true, discovery: false, http: LOOPBACK_RPC });
    await a.start();
    let restarted: FullNode | undefined;
    let b: FullNode | undefined;
    try {
      const ban = (await call(a, 'ethp2p_ban', ['127.0.0.1', 3600, 'rpc test'])) as Record<
        string,
        unknown
      >;
      expect(ban).toMatchObject({ kind: 'ip', ip: '127.0.0.1', reason: 'rpc test' });
      const idHex = 'ab'.repeat(32);
      await call(a, 'ethp2p_ban', [`0x${idHex}`]);
      expect(await call(a, 'ethp2p_bans')).toMatchObject([
        { kind: 'id', id: idHex, reason: 'banned by operator' },
        { kind: 'ip', ip: '127.0.0.1' },
      ]);
      expect(await call(a, 'ethp2p_reputation', ['127.0.0.1'])).toEqual({
        kind: 'ip',
        target: '127.0.0.1',
        score: 0,
        banned: true,
      });
      expect(await call(a, 'ethp2p_reputation')).toMatchObject({
        banned: { ids: 1, ips: 1 },
        bansAdded: { manual: 2, score: 0 },
      });
      await expect(call(a, 'ethp2p_ban', ['not a target'])).rejects.toThrow(/invalid ban target/);
      await expect(call(a, 'ethp2p_ban', ['127.0.0.1', 0])).rejects.toThrow(/invalid argument 1/);

      // A peer from the banned IP is refused before the handshake.
      b = rpcNode(f, 'b', { discovery: false, staticNodes: [a.self()] });
      await b.start();
      const server = a.server;
      await waitFor(() => (server?.inboundMetrics.refused.banned ?? 0) > 0, {
        what: 'a refused b',
      });
      expect(a.server?.peerCount()).toBe(0);
      await b.stop();
      b = undefined;

      // Persisted in the node database: a restart keeps both bans.
      await a.stop();
      restarted = rpcNode(f, 'a', { noDial: true, discovery: false, http: LOOPBACK_RPC });
      await restarted.start();
      expect(await call(restarted, 'ethp2p_bans')).toMatchObject([
        { kind: 'id', id: idHex },
        { kind: 'ip', ip: '127.0.0.1', reason: 'rpc test' },
      ]);
      expect(await call(restarted, 'ethp2p_unban', ['127.0.0.1'])).toBe(true);
      expect(await call(restarted, 'ethp2p_unban', ['127.0.0.1'])).toBe(false);
      expect(await call(restarted, 'ethp2p_reputation', [idHex])).toMatchObject({
        kind: 'id',
        target: nodeIdToHex(Uint8Array.from(Buffer.from(idHex, 'hex'))),
        banned: true,
      });
    } finally {
      await b?.stop();
      await restarted?.stop();
      await a.stop();
    }
  });
});
