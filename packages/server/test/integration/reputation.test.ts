import { MemoryLogger } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Node, NodeDatabase, nodeIdFromPublicKey } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { REPUTATION_UNIT } from '../../src/reputation/constants.ts';
import type { Server } from '../../src/server/server.ts';
import { DiscReason } from '../../src/wire/disc-reason.ts';
import { nextEvent, rawDial, serverStarter } from './helpers.ts';

const startServer = serverStarter();

/** A hostile session: Hello, then a message code outside every protocol (a breach). */
async function misbehave(server: Server, key: Uint8Array): Promise<'refused' | 'dropped'> {
  const removed = nextEvent(server.events, 'peer:removed');
  let outcome: Awaited<ReturnType<typeof rawDial>>;
  try {
    outcome = await rawDial(server.listenPort as number, server.publicKey, key);
  } catch {
    removed.catch(() => {});
    return 'refused';
  }
  if (!outcome.ok) {
    removed.catch(() => {});
    return 'refused';
  }
  await outcome.conn.writeMsg(0x7f, Uint8Array.of(0xc0));
  const end = await removed;
  expect(end.reason).toBe(DiscReason.ProtocolError);
  outcome.conn.close();
  return 'dropped';
}

describe('Server reputation over loopback', () => {
  it('does not ban a LAN or loopback IP by score unless asked to', async () => {
    const server = await startServer();
    const key = generatePrivateKey();
    for (let i = 0; i < 4; i++) expect(await misbehave(server, key)).toBe('dropped');
    expect(server.reputation.isBannedId(nodeIdFromPublicKey(publicKey(key)))).toBe(true);
    expect(server.reputation.ipScore('127.0.0.1')).toBeLessThan(-50 * REPUTATION_UNIT);
    expect(server.reputation.isBannedIp('127.0.0.1')).toBe(false);
    // Another key from the same IP is served.
    expect(await misbehave(server, generatePrivateKey())).toBe('dropped');
  });

  it('bans a peer that keeps sending malformed messages; its reconnects are refused before the handshake', async () => {
    // Loopback is LAN: it is banned by score only when asked to.
    const server = await startServer({ maxPeers: 10, banLanIps: true });
    const key = generatePrivateKey();
    const id = nodeIdFromPublicKey(publicKey(key));
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) outcomes.push(await misbehave(server, key));
    expect(outcomes).toEqual(['dropped', 'dropped', 'dropped', 'dropped']);
    expect(server.reputation.score(id)).toBeLessThan(-50 * REPUTATION_UNIT);
    expect(server.reputation.isBannedId(id)).toBe(true);
    expect(server.reputation.isBannedIp('127.0.0.1')).toBe(true);

    // Reconnects: closed by the listener before the auth is read, whatever the key.
    const before = server.metrics;
    expect(await misbehave(server, key)).toBe('refused');
    expect(await misbehave(server, generatePrivateKey())).toBe('refused');
    expect(server.inboundMetrics.refused.banned).toBe(2);
    // No RLPx handshake was attempted for them.
    expect(server.metrics.serves.attempts).toBe(before.serves.attempts);
    expect(before.serves.attempts).toBe(4);

    // With the IP ban lifted, the banned key is refused right after the RLPx handshake.
    expect(server.reputation.unban({ kind: 'ip', ip: '127.0.0.1' })).toBe(true);
    const failed = nextEvent(server.events, 'connection:failed');
    expect(await misbehave(server, key)).toBe('refused');
    const refusal = await failed;
    expect(refusal.reason).toBe(DiscReason.Requested);
    expect(server.reputation.metrics.refusedIds).toBe(1);
    expect(server.peerCount()).toBe(0);
    // An unbanned key from the IP is served.
    expect(await misbehave(server, generatePrivateKey())).toBe('dropped');
  });

  it('never bans a trusted peer by score', async () => {
    const key = generatePrivateKey();
    const trusted = Node.fromPublicKey(publicKey(key), { ip: '127.0.0.1', tcp: 1 });
    const server = await startServer({ trustedNodes: [trusted], banLanIps: true });
    for (let i = 0; i < 8; i++) expect(await misbehave(server, key)).toBe('dropped');
    expect(server.reputation.isBannedId(trusted.id)).toBe(false);
    expect(server.reputation.isBannedIp('127.0.0.1')).toBe(false);
    expect(server.reputation.score(trusted.id)).toBeGreaterThan(-50 * REPUTATION_UNIT);
  });

  it('drops a connected peer when it is banned, and keeps bans across a restart in the node database', async () => {
    const db = await NodeDatabase.open({ logger: new MemoryLogger() });
    try {
      const first = await startServer({ banStore: db });
      const key = generatePrivateKey();
      const outcome = await rawDial(first.listenPort as number, first.publicKey, key);
      if (!outcome.ok) throw outcome.error;
      await waitFor(() => first.peerCount() === 1, { what: 'peer added' });
      const removed = nextEvent(first.events, 'peer:removed');
      first.reputation.ban({ kind: 'ip', ip: '127.0.0.1' }, { reason: 'test' });
      expect((await removed).reason).toBe(DiscReason.Requested);
      outcome.conn.close();
      await first.stop();

      const second = await startServer({ banStore: db });
      expect(second.reputation.bans()).toMatchObject([
        { kind: 'ip', ip: '127.0.0.1', reason: 'test' },
      ]);
      expect(await misbehave(second, generatePrivateKey())).toBe('refused');
      expect(second.inboundMetrics.refused.banned).toBe(1);
    } finally {
      await db.close();
    }
  });
});
