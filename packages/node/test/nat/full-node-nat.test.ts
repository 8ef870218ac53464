import { join } from 'node:path';
import { waitFor } from '@ethp2p/base/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PmpNat } from '../../src/nat/pmp.ts';
import { chainFixture, loopbackNode } from '../node/helpers.ts';
import { FakePmpGateway } from './fake-gateways.ts';

describe('FullNode with NAT-PMP against a fake gateway on loopback', () => {
  const fixture = chainFixture(2);
  let gw: FakePmpGateway;

  beforeEach(async () => {
    gw = await FakePmpGateway.start();
  });
  afterEach(() => gw.close());

  it('maps its TCP and UDP ports, advertises the external IP and ports, and unmaps on stop', async () => {
    gw.portOffset = 100;
    const node = loopbackNode({
      datadir: join(fixture.dir, 'nat-pmp'),
      chain: fixture.chain,
      nat: 'none',
      natInterface: new PmpNat({ gateway: '127.0.0.1', port: gw.port }),
    });
    await node.start();
    try {
      const tcp = node.server?.listenPort ?? 0;
      await waitFor(() => gw.adds.length === 2, { what: 'both mappings' });
      expect(gw.adds.find((r) => r.op === 2)).toEqual({
        op: 2,
        internalPort: tcp,
        externalPort: tcp,
        lifetimeS: 600,
      });
      const udp = gw.adds.find((r) => r.op === 1);
      expect(udp?.lifetimeS).toBe(600);
      await waitFor(
        () =>
          node.self().ip === '203.0.113.7' &&
          node.self().tcp === tcp + 100 &&
          node.self().udp === (udp?.internalPort ?? 0) + 100,
        { what: 'the external endpoint in the record' },
      );
    } finally {
      await node.stop();
    }
    expect(gw.deletes.map((r) => r.op).sort()).toEqual([1, 2]);
  });

  it('rejects a bad --nat value before opening anything', async () => {
    const node = loopbackNode({
      datadir: join(fixture.dir, 'bad'),
      chain: fixture.chain,
      nat: 'upnp:x',
    });
    await expect(node.start()).rejects.toThrow(TypeError);
  });
});
