/** The rpc's `bans` option: banned IPs are dropped before decoding, banned IDs once their ID is read. */
import { SimulatedClock } from '@ethp2p/base';
import { rejectedError, waitFor } from '@ethp2p/base/testing';
import { bytesToHex, randomBytes } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../../src/transport/memory-network.ts';
import { DiscV5RpcError } from '../../../src/v5/rpc/errors.ts';
import { testBanList } from '../../helpers/ban-list.ts';
import { startRpc } from './helpers.ts';

describe('DiscV5Rpc bans', () => {
  it("drops a banned IP's packets before decoding them, and pings it no answer", async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(0);
    const bans = testBanList();
    bans.ips.add('10.0.0.1');
    const a = await startRpc(net, '10.0.0.1', { clock });
    const b = await startRpc(net, '10.0.0.2', { bans });
    const raw = net.bind('10.0.0.1');
    for (let i = 0; i < 3; i++) raw.send(randomBytes(100), b.rpc.local);
    const ping = a.rpc.ping(b.node());
    await waitFor(() => b.rpc.metrics.dropped.banned === 4, { what: 'packets dropped' });
    // Not decoded: no bad-packet count, no WHOAREYOU for the ping's random packet.
    expect(b.rpc.metrics.dropped['bad-packet']).toBe(0);
    expect(b.rpc.metrics.whoareyouSent).toBe(0);
    clock.advance(10_000);
    expect((await rejectedError(ping, DiscV5RpcError)).code).toBe('TIMEOUT');
    // Unbanned: served.
    bans.ips.delete('10.0.0.1');
    await expect(a.rpc.ping(b.node())).resolves.toMatchObject({ ip: '10.0.0.1' });
    await Promise.all([a.rpc.close(), b.rpc.close(), raw.close()]);
  });

  it('does not challenge or serve a banned node ID', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(0);
    const bans = testBanList();
    const a = await startRpc(net, '10.0.0.1', { clock });
    const b = await startRpc(net, '10.0.0.2', { bans });
    bans.ids.add(bytesToHex(a.localNode.id));
    const ping = a.rpc.ping(b.node());
    await waitFor(() => b.rpc.metrics.dropped.banned === 1, { what: 'ping dropped' });
    expect(b.rpc.metrics.whoareyouSent).toBe(0);
    clock.advance(10_000);
    expect((await rejectedError(ping, DiscV5RpcError)).code).toBe('TIMEOUT');
    await Promise.all([a.rpc.close(), b.rpc.close()]);
  });
});
