import { silentLogger } from '@ethp2p/base';
import { generatePrivateKey } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { listenDiscovery } from '../src/listen-discovery.ts';
import { DiscoveryV4 } from '../src/service/discovery.ts';
import { DiscoveryV5 } from '../src/v5/service.ts';

const udpHandles = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length;

describe('listenDiscovery', () => {
  it('refuses to run neither version', async () => {
    await expect(
      listenDiscovery({ privateKey: generatePrivateKey(), v4: false, v5: false }),
    ).rejects.toThrow(TypeError);
  });

  it('runs either version alone on its own socket, and stop releases it', async () => {
    const before = udpHandles();
    const onlyV4 = await listenDiscovery({
      privateKey: generatePrivateKey(),
      v5: false,
      logger: silentLogger,
    });
    const onlyV5 = await listenDiscovery({
      privateKey: generatePrivateKey(),
      v4: false,
      logger: silentLogger,
    });
    expect(onlyV4.v4).toBeInstanceOf(DiscoveryV4);
    expect(onlyV4.v5).toBeUndefined();
    expect(onlyV5.v5).toBeInstanceOf(DiscoveryV5);
    expect(onlyV5.v4).toBeUndefined();
    // discv5 alone answers on its port: a discv4-only node cannot ping it, a discv5 node can.
    const v5Peer = await listenDiscovery({
      privateKey: generatePrivateKey(),
      v4: false,
      logger: silentLogger,
    });
    const pong = await v5Peer.v5?.ping(onlyV5.localNode.node(), {
      signal: AbortSignal.timeout(5000),
    });
    expect(pong?.enrSeq).toBe(onlyV5.localNode.seq);
    await Promise.all([onlyV4.stop(), onlyV5.stop(), v5Peer.stop(), onlyV5.stop()]);
    expect(udpHandles()).toBe(before);
  });
});
