import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Node, nodeIdFromPublicKey } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { NetRestrict } from '../../src/netrestrict.ts';
import type { Protocol } from '../../src/protocol.ts';
import {
  DEFAULT_DIAL_RATIO,
  DEFAULT_MAX_PEERS,
  DEFAULT_MAX_PENDING_PEERS,
  parseListenAddress,
  resolveServerConfig,
} from '../../src/server/config.ts';

const privateKey = generatePrivateKey();
const proto = (name: string, version: number, length = 1): Protocol => ({
  name,
  version,
  length,
  run: async () => {},
});

describe('resolveServerConfig', () => {
  it('fills in geth defaults', () => {
    const c = resolveServerConfig({ privateKey });
    expect(c.maxPeers).toBe(DEFAULT_MAX_PEERS);
    expect(c.maxPendingPeers).toBe(DEFAULT_MAX_PENDING_PEERS);
    expect(c.dialRatio).toBe(DEFAULT_DIAL_RATIO);
    expect(c.maxDialedConns).toBe(16);
    expect(c.maxInboundConns).toBe(34);
    expect(c.listen).toEqual({ host: '127.0.0.1', port: 0 });
    expect(c.id).toEqual(nodeIdFromPublicKey(publicKey(privateKey)));
    expect(c.name).toBe('ethp2p');
    expect(c.inboundThrottleMs).toBe(30_000);
    expect(c.dialTimeoutMs).toBe(15_000);
    expect(c.handshakeTimeoutMs).toBe(5_000);
    expect(c.maxPendingPerIp).toBe(10);
    expect(c.handshakeIdleTimeoutMs).toBe(2_000);
    expect(c.ingressBudgetBytes).toBe(32 * 1024 * 1024);
    expect(c.ingressThresholdBytes).toBe(64 * 1024);
    expect(c.externalIp).toBeUndefined();
  });

  it.each([{ ingressBudgetBytes: 0 }, { ingressThresholdBytes: 1.5 }])(
    'refuses the ingress budget option %j',
    (opts) => {
      expect(() => resolveServerConfig({ privateKey, ...opts })).toThrow(RangeError);
    },
  );

  it.each([
    [{ maxPeers: 6 }, 2, 4],
    [{ maxPeers: 2 }, 1, 1],
    [{ maxPeers: 1 }, 1, 0],
    [{ maxPeers: 0 }, 0, 0],
    [{ maxPeers: 10, noDial: true }, 0, 10],
    [{ maxPeers: 10, dialRatio: 1 }, 10, 0],
  ])('derives the dialed/inbound split from %j', (opts, dialed, inbound) => {
    const c = resolveServerConfig({ privateKey, ...opts });
    expect(c.maxDialedConns).toBe(dialed);
    expect(c.maxInboundConns).toBe(inbound);
  });

  it('copies the private key', () => {
    const key = Uint8Array.from(privateKey);
    const c = resolveServerConfig({ privateKey: key });
    key.fill(1);
    expect(c.privateKey).toEqual(privateKey);
  });

  it('takes the external IP from either setting', () => {
    expect(resolveServerConfig({ privateKey, externalIp: '1.2.3.4' }).externalIp).toBe('1.2.3.4');
    expect(resolveServerConfig({ privateKey, nat: 'extip:::ffff:1.2.3.4' }).externalIp).toBe(
      '1.2.3.4',
    );
    expect(resolveServerConfig({ privateKey, nat: 'none' }).externalIp).toBeUndefined();
  });

  it.each([
    ['no key', { privateKey: undefined }],
    ['a short key', { privateKey: new Uint8Array(31) }],
    ['a zero key', { privateKey: new Uint8Array(32) }],
    ['a bad nat', { nat: 'upnp' }],
    ['a bad extip', { nat: 'extip:nope' }],
    ['conflicting IPs', { externalIp: '1.2.3.4', nat: 'extip:5.6.7.8' }],
    ['a bad listen address', { listenAddress: 'localhost:30303' }],
    ['a listen address without port', { listenAddress: '127.0.0.1' }],
    ['a non-node static', { staticNodes: ['enode://x'] }],
    ['a CIDR without length', { netRestrict: ['10.0.0.0'] }],
    ['a protocol without run', { protocols: [{ name: 'x', version: 1, length: 1 }] }],
    ['a duplicate protocol', { protocols: [proto('x', 1), proto('x', 1)] }],
    ['a name that is no string', { name: 5 }],
    ['a dialer that is no object', { dialer: 5 }],
  ])('rejects %s with TypeError', (_label, opts) => {
    expect(() => resolveServerConfig({ privateKey, ...opts } as never)).toThrow(TypeError);
  });

  it.each([
    ['negative maxPeers', { maxPeers: -1 }],
    ['fractional maxPeers', { maxPeers: 1.5 }],
    ['dialRatio 0', { dialRatio: 0 }],
    ['maxPendingPeers 0', { maxPendingPeers: 0 }],
    ['maxPendingPerIp 0', { maxPendingPerIp: 0 }],
    ['handshakeIdleTimeoutMs 0', { handshakeIdleTimeoutMs: 0 }],
    ['dialTimeoutMs 0', { dialTimeoutMs: 0 }],
    ['a port too big', { listenAddress: '127.0.0.1:65536' }],
    ['a protocol with no codes', { protocols: [proto('x', 1, 0)] }],
    ['a name too long', { name: 'x'.repeat(2000) }],
    ['a CIDR prefix too long', { netRestrict: ['10.0.0.0/33'] }],
    ['a zero dial history', { dialer: { historyExpirationMs: 0 } }],
    ['a negative lookup interval', { dialer: { lookupIntervalMs: -1 } }],
  ])('rejects %s with RangeError', (_label, opts) => {
    expect(() => resolveServerConfig({ privateKey, ...opts } as never)).toThrow(RangeError);
  });

  it('accepts node lists, CIDRs and protocols', () => {
    const node = Node.fromPublicKey(publicKey(generatePrivateKey()), { ip: '10.0.0.1', tcp: 1 });
    const c = resolveServerConfig({
      privateKey,
      staticNodes: [node],
      trustedNodes: [node],
      netRestrict: ['10.0.0.0/8', '::1/128'],
      protocols: [proto('a', 1), proto('a', 2)],
      listenAddress: null,
    });
    expect(c.staticNodes).toEqual([node]);
    expect(c.trustedNodes).toEqual([node]);
    expect(c.protocols).toHaveLength(2);
    expect(c.listen).toBeNull();
    expect(c.netRestrict?.networks).toEqual(['10.0.0.0/8', '::1/128']);
    const restrict = new NetRestrict(['10.0.0.0/8']);
    expect(resolveServerConfig({ privateKey, netRestrict: restrict }).netRestrict).toBe(restrict);
  });
});

it('passes only the dialer tuning that was given', () => {
  expect(resolveServerConfig({ privateKey }).dialer).toEqual({});
  expect(
    resolveServerConfig({ privateKey, dialer: { historyExpirationMs: 100, lookupIntervalMs: 0 } })
      .dialer,
  ).toEqual({ historyExpirationMs: 100, lookupIntervalMs: 0 });
});

describe('parseListenAddress', () => {
  it.each([
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    [':30303', { host: '0.0.0.0', port: 30303 }],
    ['[::]:30303', { host: '::', port: 30303 }],
    ['[::1]:0', { host: '::1', port: 0 }],
  ])('%s', (text, want) => {
    expect(parseListenAddress(text)).toEqual(want);
  });
});
