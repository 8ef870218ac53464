import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import { startService } from './helpers.ts';

describe('DiscoveryV4 on a memory network', () => {
  it('two services ping and find each other', async () => {
    const net = new MemoryNetwork();
    const a = await startService(net, '10.0.0.1');
    const b = await startService(net, '10.0.0.2', {
      bootnodes: [a.service.self()],
      config: { responseTimeoutMs: 500 },
    });
    await a.service.refresh();
    await b.service.refresh();
    // b's refresh bonded with its bootnode and asked it for nodes: a's Pong is stored and its
    // Neighbors arrived (the bootnode is in b's table from the start, so that proves nothing).
    expect(await b.db.lastPongReceived(a.service.self().id, '10.0.0.1')).toBeGreaterThan(0);
    expect(b.service.metrics.packetsIn.neighbors).toBeGreaterThan(0);
    expect(b.service.nodes().map((n) => n.ip)).toContain('10.0.0.1');
    // a pinged b back when b pinged it, and took it into its table once b answered.
    expect(a.service.nodes().map((n) => n.ip)).toContain('10.0.0.2');
    const r = await b.service.ping(a.service.self());
    expect(r.seq).toBe(a.service.self().seq);
    const rec = await b.service.requestEnr(a.service.self());
    expect(rec.seq).toBe(a.service.self().seq);
    await a.close();
    await b.close();
  });
});
