/**
 * Start and stop: `stop()` is idempotent and leaves no socket, timer or pending promise; the
 * `listen` convenience over real UDP on 127.0.0.1.
 */

import { SimulatedClock, silentLogger } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { DiscoveryV4 } from '../../src/service/discovery.ts';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import { RawPeer, START_MS, startService } from './helpers.ts';

function udpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length;
}

describe('stop', () => {
  it('is idempotent, rejects pending requests with CLOSED and leaves no timer', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const svc = await startService(net, '10.0.0.1', { clock });
    await svc.service.refresh();
    const raw = new RawPeer(net, '10.0.0.2');
    raw.ping(svc.address, clock.now()); // leaves a ping back pending
    await raw.next('ping');
    const pending = svc.service.ping(raw.node());
    await Promise.all([svc.service.stop(), svc.service.stop()]);
    await expect(pending).rejects.toMatchObject({ name: 'DiscoveryError', code: 'CLOSED' });
    expect(clock.pending).toBe(0);
    expect(net.size).toBe(1); // only the raw peer's socket is left
    await expect(svc.service.start()).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(svc.service.ping(raw.node())).rejects.toMatchObject({ code: 'CLOSED' });
    await svc.close();
  });

  it('ends lookups (CLOSED) and random node iterators (quietly)', async () => {
    const net = new MemoryNetwork();
    const clock = new SimulatedClock(START_MS);
    const raw = new RawPeer(net, '10.0.0.2');
    raw.autoPong(clock); // never answers findnode: lookups wait
    const svc = await startService(net, '10.0.0.1', { clock, bootnodes: [raw.node()] });
    const iterate = async (): Promise<string> => {
      for await (const _ of svc.service.randomNodes()) {
        // keep pulling
      }
      return 'ended';
    };
    const running = iterate();
    const lookup = (async () => {
      for await (const _ of svc.service.lookup()) {
        // keep pulling
      }
    })().catch((e: unknown) => e);
    await waitFor(() => raw.ofType('findnode').length > 1);
    await svc.close();
    expect(await running).toBe('ended');
    expect(await lookup).toMatchObject({ name: 'DiscoveryError', code: 'CLOSED' });
    expect(clock.pending).toBe(0);
  });

  it('is safe before start', async () => {
    const svc = await startService(new MemoryNetwork(), '10.0.0.1', { start: false });
    await svc.close();
    await svc.service.stop();
  });
});

describe('listen', () => {
  it('binds UDP on 127.0.0.1, pings over loopback, and stop closes every socket', async () => {
    const before = udpHandles();
    const logger = silentLogger;
    const a = await DiscoveryV4.listen({ privateKey: generatePrivateKey(), logger });
    const b = await DiscoveryV4.listen({
      privateKey: generatePrivateKey(),
      logger,
      tcpPort: 30303,
    });
    expect(udpHandles()).toBe(before + 2);
    const self = a.self();
    expect(self.ip).toBe('127.0.0.1');
    expect(self.udp).toBeGreaterThan(0);
    expect(b.self().tcp).toBe(30303);
    const { seq } = await b.ping(self, { signal: AbortSignal.timeout(5000) });
    expect(seq).toBe(self.seq);
    const record = await b.requestEnr(self, { signal: AbortSignal.timeout(5000) });
    expect(record.record?.encodeText()).toBe(self.record?.encodeText());
    await Promise.all([a.stop(), b.stop()]);
    await a.stop();
    expect(udpHandles()).toBe(before);
  });
});
