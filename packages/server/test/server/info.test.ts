import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Enr, Node, nodeIdToHex } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import type { Protocol } from '../../src/protocol.ts';
import { buildNodeInfo, buildPeerInfo, formatHostPort } from '../../src/server/info.ts';

const proto = (name: string, version: number, extra: Partial<Protocol> = {}): Protocol => ({
  name,
  version,
  length: 1,
  run: async () => {},
  ...extra,
});

describe('buildNodeInfo', () => {
  it('has the admin_nodeInfo shape', () => {
    const key = generatePrivateKey();
    const record = Enr.sign({ seq: 1n, entries: { ip: '1.2.3.4', tcp: 30303, udp: 30301 } }, key);
    const node = Node.fromEnr(record);
    const info = buildNodeInfo({
      node,
      name: 'ethp2p/test',
      listenAddr: '[::]:30303',
      listenPort: 30303,
      protocols: [
        proto('eth', 68, { nodeInfo: () => ({ network: 1 }) }),
        proto('eth', 69, { nodeInfo: () => ({ network: 2 }) }),
        proto('snap', 1),
      ],
    });
    expect(info).toEqual({
      id: nodeIdToHex(node.id),
      name: 'ethp2p/test',
      enode: node.enodeUrl(),
      enr: record.encodeText(),
      ip: '1.2.3.4',
      ports: { discovery: 30301, listener: 30303 },
      listenAddr: '[::]:30303',
      // The first protocol of a name answers, as in geth.
      protocols: { eth: { network: 1 }, snap: 'unknown' },
    });
    expect(info.enode).toMatch(/^enode:\/\/[0-9a-f]{128}@1\.2\.3\.4:30303\?discport=30301$/);
  });

  it('leaves out the ENR for a node without a record', () => {
    const node = Node.fromPublicKey(publicKey(generatePrivateKey()), { ip: '127.0.0.1', tcp: 1 });
    const info = buildNodeInfo({ node, name: 'x', listenAddr: '', listenPort: 0, protocols: [] });
    expect('enr' in info).toBe(false);
    expect(info.ports).toEqual({ discovery: 0, listener: 0 });
  });
});

describe('buildPeerInfo', () => {
  it('has the admin_peers shape', () => {
    const pub = publicKey(generatePrivateKey());
    const node = Node.fromPublicKey(pub, { ip: '10.0.0.2', tcp: 40000 });
    const info = buildPeerInfo({
      id: node.id,
      node,
      name: 'Geth/v1',
      caps: [
        { name: 'eth', version: 68 },
        { name: 'snap', version: 1 },
      ],
      localAddress: '10.0.0.1:30303',
      remoteAddress: '10.0.0.2:40000',
      inbound: true,
      trusted: true,
      static: false,
      protocols: [
        proto('eth', 68, { peerInfo: (id) => ({ id: nodeIdToHex(id) }) }),
        proto('snap', 1, { peerInfo: () => undefined }),
        proto('les', 4),
      ],
      traffic: { ingressBytes: 900, egressBytes: 800, ingressMessages: 3, egressMessages: 2 },
    });
    expect(info).toEqual({
      enode: node.enodeUrl(),
      id: nodeIdToHex(node.id),
      name: 'Geth/v1',
      caps: ['eth/68', 'snap/1'],
      network: {
        localAddress: '10.0.0.1:30303',
        remoteAddress: '10.0.0.2:40000',
        inbound: true,
        trusted: true,
        static: false,
      },
      protocols: { eth: { id: nodeIdToHex(node.id) }, snap: 'handshake', les: 'unknown' },
      traffic: { ingressBytes: 900, egressBytes: 800, ingressMessages: 3, egressMessages: 2 },
    });
  });
});

describe('buildPeerInfo rtt', () => {
  it('shows the round trip once measured, and no rtt key before', () => {
    const node = Node.fromPublicKey(publicKey(generatePrivateKey()), { ip: '10.0.0.2', tcp: 1 });
    const input = {
      id: node.id,
      node,
      name: 'x',
      caps: [],
      localAddress: 'a',
      remoteAddress: 'b',
      inbound: false,
      trusted: false,
      static: false,
      protocols: [],
      traffic: { ingressBytes: 0, egressBytes: 0, ingressMessages: 0, egressMessages: 0 },
    };
    expect('rtt' in buildPeerInfo(input)).toBe(false);
    const rtt = { lastMs: 12, smoothedMs: 30.5, samples: 3 };
    expect(buildPeerInfo({ ...input, rtt }).rtt).toEqual({ lastMs: 12, smoothedMs: 30.5 });
  });
});

describe('formatHostPort', () => {
  it('brackets IPv6', () => {
    expect(formatHostPort('127.0.0.1', 1)).toBe('127.0.0.1:1');
    expect(formatHostPort('::1', 2)).toBe('[::1]:2');
  });
});
