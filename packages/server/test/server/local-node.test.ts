import { SimulatedClock, silentLogger } from '@ethp2p/base';
import { generatePrivateKey } from '@ethp2p/crypto';
import { LocalNode } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { prepareLocalNode } from '../../src/server/local-node.ts';

const base = {
  localNode: undefined,
  externalIp: undefined,
  clock: new SimulatedClock(1_000),
  logger: silentLogger,
};

describe('prepareLocalNode', () => {
  it('advertises the listen IP and port', async () => {
    const { localNode, owned } = await prepareLocalNode({
      ...base,
      privateKey: generatePrivateKey(),
      listenHost: '10.0.0.5',
      listenPort: 30303,
    });
    expect(owned).toBe(true);
    expect(localNode.node()).toMatchObject({ ip: '10.0.0.5', tcp: 30303 });
  });

  it('uses 127.0.0.1 for an unspecified listen address, and the external IP over both', async () => {
    const privateKey = generatePrivateKey();
    for (const host of ['0.0.0.0', '::']) {
      const { localNode } = await prepareLocalNode({
        ...base,
        privateKey,
        listenHost: host,
        listenPort: 1,
      });
      expect(localNode.node().ip).toBe('127.0.0.1');
    }
    const { localNode } = await prepareLocalNode({
      ...base,
      privateKey,
      listenHost: '10.0.0.5',
      listenPort: 1,
      externalIp: '203.0.113.1',
    });
    expect(localNode.node().ip).toBe('203.0.113.1');
  });

  it('leaves out tcp when not listening', async () => {
    const { localNode } = await prepareLocalNode({
      ...base,
      privateKey: generatePrivateKey(),
      listenHost: undefined,
      listenPort: undefined,
    });
    expect(localNode.node().tcp).toBeUndefined();
    expect(localNode.node().ip).toBe('127.0.0.1');
  });

  it('keeps the fallbacks of a shared record', async () => {
    const privateKey = generatePrivateKey();
    const shared = await LocalNode.create({
      privateKey,
      db: { localSeq: async () => 0n, storeLocalSeq: async () => {} },
    });
    shared.setFallbackIp('192.168.1.2');
    const { localNode, owned } = await prepareLocalNode({
      ...base,
      privateKey,
      localNode: shared,
      listenHost: '0.0.0.0',
      listenPort: 4000,
    });
    expect(owned).toBe(false);
    expect(localNode).toBe(shared);
    expect(localNode.node()).toMatchObject({ ip: '192.168.1.2', tcp: 4000 });
  });
});
