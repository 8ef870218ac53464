import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import { startService } from './helpers.ts';

describe('DiscoveryV4 on a memory network', () => {
  it('two services ping and find each other', async () => {
    const net = new MemoryNetwork();
    const a = await startService(net, '10.0.0.1');
    const b = await startService(net, '10.0.0.2', {
      bootnodes: [a.service.self()],
      config: { responseTimeoutMs: 100 },
    });
    await a.service.refresh();
    await b.service.refresh();
    const r = await b.service.ping(a.service.self());
    expect(r.seq).toBe(a.service.self().seq);
    expect(b.service.nodes().map((n) => n.ip)).toContain('10.0.0.1');
    expect(a.service.nodes().map((n) => n.ip)).toContain('10.0.0.2');
    const rec = await b.service.requestEnr(a.service.self());
    expect(rec.seq).toBe(a.service.self().seq);
    await a.close();
    await b.close();
  });
});
