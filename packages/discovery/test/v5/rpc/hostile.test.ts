/**
 * Hostile input against DiscV5Rpc: garbage, oversize packets, replayed handshakes, WHOAREYOU
 * floods and many identities from one IP are counted and dropped, never thrown, and the state
 * they could grow stays capped.
 */
import { rejectedError, waitFor } from '@ethp2p/base/testing';
import { randomBytes } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import type { DatagramAddress } from '../../../src/transport/datagram.ts';
import { MemoryNetwork } from '../../../src/transport/memory-network.ts';
import { DiscV5RpcError } from '../../../src/v5/rpc/errors.ts';
import { encodeMessagePacket, encodeWhoareyouPacket } from '../../../src/v5/wire/index.ts';
import { startRpc } from './helpers.ts';

describe('DiscV5Rpc under hostile input', () => {
  it('counts garbage and oversize packets as bad, and keeps serving', async () => {
    const net = new MemoryNetwork();
    const [a, b] = [await startRpc(net, '10.0.0.1'), await startRpc(net, '10.0.0.2')];
    const raw = net.bind('10.0.0.66');
    const sizes = [0, 1, 62, 63, 100, 500, 1280];
    // Longer than 1280 bytes: the socket drops them before the rpc, as geth reads at most 1280.
    const oversize = [1281, 2000];
    for (const size of [...sizes, ...oversize]) raw.send(randomBytes(size), b.rpc.local);
    await waitFor(() => net.stats.dropped === oversize.length, { what: 'oversize dropped' });
    await waitFor(() => b.rpc.metrics.packetsIn === sizes.length, { what: 'all delivered' });
    expect(b.rpc.metrics.dropped['bad-packet']).toBe(sizes.length);
    expect(b.rpc.metrics.whoareyouSent).toBe(0);
    await expect(a.rpc.ping(b.node())).resolves.toMatchObject({ ip: '10.0.0.1' });
    await Promise.all([a.rpc.close(), b.rpc.close(), raw.close()]);
  });

  it('drops a replayed handshake from the same endpoint', async () => {
    const sent: { data: Uint8Array; from: DatagramAddress }[] = [];
    const net = new MemoryNetwork({
      loss: (from, _to, data) => {
        sent.push({ data: data.slice(), from });
        return false;
      },
    });
    const [a, b] = [await startRpc(net, '10.0.0.1'), await startRpc(net, '10.0.0.2')];
    await a.rpc.ping(b.node());
    // A sent: random packet, handshake. B sent: WHOAREYOU, PONG.
    const fromA = sent.filter((p) => p.from.address === '10.0.0.1');
    const handshake = fromA[1]?.data as Uint8Array;
    const aPort = a.rpc.local.port;
    await a.rpc.close();
    const replayer = net.bind('10.0.0.1', aPort);
    replayer.onMessage(() => {});
    replayer.send(handshake, b.rpc.local);
    replayer.send(handshake, b.rpc.local);
    await waitFor(() => b.rpc.metrics.dropped['unexpected-handshake'] === 2, {
      what: 'replays dropped',
    });
    expect(b.rpc.metrics.handshakesAccepted).toBe(1);
    await Promise.all([b.rpc.close(), replayer.close()]);
  });

  it('drops a flood of unsolicited WHOAREYOU packets', async () => {
    const net = new MemoryNetwork();
    const a = await startRpc(net, '10.0.0.1');
    const raw = net.bind('10.0.0.66');
    for (let i = 0; i < 200; i++) {
      const { packet } = encodeWhoareyouPacket(
        { destId: a.localNode.id, maskingIv: randomBytes(16), nonce: randomBytes(12) },
        { idNonce: randomBytes(16), enrSeq: 0n },
      );
      raw.send(packet, a.rpc.local);
    }
    await waitFor(() => a.rpc.metrics.packetsIn === 200, { what: 'flood delivered' });
    expect(a.rpc.metrics.dropped['unsolicited-whoareyou']).toBe(200);
    expect(a.rpc.metrics.packetsOut).toBe(0);
    expect(a.rpc.metrics.sessions).toBe(0);
    await Promise.all([a.rpc.close(), raw.close()]);
  });

  it('challenges at most 8 identities per IP and keeps the pending challenges capped', async () => {
    const net = new MemoryNetwork();
    const b = await startRpc(net, '10.0.0.2', { config: { maxPendingChallenges: 20 } });
    const packets = (count: number) =>
      Array.from({ length: count }, () =>
        encodeMessagePacket(
          { destId: b.localNode.id, maskingIv: randomBytes(16), nonce: randomBytes(12) },
          randomBytes(32),
          { key: randomBytes(16), plaintext: randomBytes(20) },
        ),
      );
    const one = net.bind('203.0.113.5');
    one.onMessage(() => {});
    for (const p of packets(100)) one.send(p, b.rpc.local);
    await waitFor(() => b.rpc.metrics.packetsIn === 100, { what: 'ids delivered' });
    expect(b.rpc.metrics.whoareyouSent).toBe(8);
    expect(b.rpc.metrics.dropped['whoareyou-limit']).toBe(92);
    expect(b.rpc.metrics.pendingChallenges).toBe(8);
    // Many IPs: the total cap holds.
    for (let i = 0; i < 10; i++) {
      const s = net.bind(`198.51.100.${i + 1}`);
      for (const p of packets(3)) s.send(p, b.rpc.local);
    }
    await waitFor(() => b.rpc.metrics.packetsIn === 130, { what: 'all delivered' });
    expect(b.rpc.metrics.pendingChallenges).toBe(20);
    expect(b.rpc.metrics.whoareyouSent).toBe(20);
    await b.rpc.close();
  });

  it('refuses sessions beyond the per-IP limit on both sides', async () => {
    const net = new MemoryNetwork();
    const config = { maxSessionsPerIp: 2 };
    const b = await startRpc(net, '10.0.0.2', { config: { ...config, exemptIp: () => false } });
    const peers = [];
    for (let i = 0; i < 3; i++) peers.push(await startRpc(net, '10.0.0.7', { config }));
    const [p1, p2, p3] = peers as [(typeof peers)[0], (typeof peers)[0], (typeof peers)[0]];
    await p1.rpc.ping(b.node());
    await p2.rpc.ping(b.node());
    const third = p3.rpc.ping(b.node(), { signal: AbortSignal.timeout(2000) });
    await waitFor(() => b.rpc.metrics.dropped['session-ip-limit'] === 1, { what: 'limit hit' });
    expect(b.rpc.metrics.sessions).toBe(2);
    await p3.rpc.close();
    await rejectedError(third, DiscV5RpcError, 'CLOSED');
    await Promise.all([b.rpc.close(), p1.rpc.close(), p2.rpc.close()]);
  });
});
