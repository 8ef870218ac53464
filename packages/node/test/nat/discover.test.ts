import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { SimulatedClock } from '@ethp2p/base';
import { rejectedError, thrownError } from '@ethp2p/base/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverAny, potentialGateways, ssdpLocation } from '../../src/nat/discover.ts';
import { NatError } from '../../src/nat/errors.ts';
import { createNat, parseNat } from '../../src/nat/parse.ts';
import { FakePmpGateway } from './fake-gateways.ts';
import { FakeIgd } from './fake-igd.ts';

describe('parseNat', () => {
  it.each([
    ['none', { kind: 'none' }],
    ['any', { kind: 'any' }],
    ['UPnP', { kind: 'upnp' }],
    ['pmp', { kind: 'pmp', gateway: undefined }],
    ['pmp:192.168.1.1', { kind: 'pmp', gateway: '192.168.1.1' }],
    ['extip:1.2.3.4', { kind: 'extip', ip: '1.2.3.4' }],
    ['extip:::ffff:1.2.3.4', { kind: 'extip', ip: '1.2.3.4' }],
    ['stun:127.0.0.1:3478', { kind: 'stun', host: '127.0.0.1', port: 3478 }],
    ['stun:[::1]:3478', { kind: 'stun', host: '::1', port: 3478 }],
  ])('%s', (text, spec) => {
    expect(parseNat(text)).toEqual(spec);
  });

  it.each([
    'bogus',
    'extip',
    'extip:x',
    'pmp:nope',
    'stun',
    'stun:1.2.3.4',
    'stun:1.2.3.4:0',
    'upnp:x',
    'none:1',
  ])('rejects %s with a TypeError naming the forms', (text) => {
    expect(thrownError(() => parseNat(text), TypeError).message).toContain('extip:<ip>');
  });

  it('creates the method each spec names', () => {
    expect(createNat({ kind: 'none' })).toBeUndefined();
    expect(String(createNat(parseNat('extip:1.2.3.4')))).toBe('extip:1.2.3.4');
    expect(String(createNat(parseNat('pmp:10.0.0.1')))).toBe('natpmp(10.0.0.1)');
    expect(String(createNat(parseNat('stun:127.0.0.1:3478')))).toBe('stun(127.0.0.1:3478)');
    expect(String(createNat(parseNat('any')))).toBe('upnp or natpmp');
  });
});

describe('discovery', () => {
  it('guesses the .1 of each private IPv4 network as a NAT-PMP gateway', () => {
    const iface = (address: string, netmask: string, internal = false) => ({
      address,
      netmask,
      family: 'IPv4' as const,
      mac: '00:00:00:00:00:00',
      internal,
      cidr: null,
    });
    expect(
      potentialGateways({
        lo: [iface('127.0.0.1', '255.0.0.0', true)],
        eth0: [iface('192.168.7.23', '255.255.255.0'), iface('203.0.113.5', '255.255.255.0')],
        wg0: [iface('10.8.3.9', '255.255.0.0')],
      }),
    ).toEqual(['192.168.7.1', '10.8.0.1']);
  });

  it('reads LOCATION from an SSDP answer and ignores other datagrams', () => {
    expect(
      ssdpLocation('HTTP/1.1 200 OK\r\nLocation: http://10.0.0.1:5000/d.xml\r\n\r\n')?.href,
    ).toBe('http://10.0.0.1:5000/d.xml');
    expect(ssdpLocation('NOTIFY * HTTP/1.1\r\nLOCATION: http://x/\r\n\r\n')).toBeUndefined();
    expect(ssdpLocation('HTTP/1.1 200 OK\r\nLOCATION: file:///etc/passwd\r\n\r\n')).toBeUndefined();
  });

  describe('any, against fakes on loopback', () => {
    let igd: FakeIgd;
    let pmp: FakePmpGateway;
    const ssdp = createSocket('udp4');
    const searches: string[] = [];
    let answerSsdp = true;

    beforeEach(async () => {
      igd = await FakeIgd.start();
      pmp = await FakePmpGateway.start();
      searches.length = 0;
      answerSsdp = true;
      if (ssdp.listenerCount('message') === 0) {
        ssdp.on('message', (msg, from) => {
          searches.push(String(msg));
          if (!answerSsdp) return;
          const answer = `HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nLOCATION: ${igd.location.href}\r\n\r\n`;
          ssdp.send(answer, from.port, from.address);
        });
        ssdp.bind(0, '127.0.0.1');
        await once(ssdp, 'listening');
      }
    });
    afterEach(async () => {
      await igd.close();
      await pmp.close();
    });
    afterAll(() => new Promise<void>((resolve) => ssdp.close(() => resolve())));

    const options = (clock: SimulatedClock) => ({
      clock,
      ssdp: { host: '127.0.0.1', port: ssdp.address().port },
      pmpGateways: ['127.0.0.1'],
      pmpPort: pmp.port,
    });

    it('finds the IGD by an M-SEARCH when NAT-PMP is silent', async () => {
      pmp.behaviour = 'silent';
      const nat = await discoverAny(options(new SimulatedClock(0)));
      expect(String(nat)).toBe(`upnp(${igd.location.host})`);
      expect(searches[0]).toContain('M-SEARCH * HTTP/1.1');
      expect(searches[0]).toContain('InternetGatewayDevice:1');
      expect(await nat.externalIp()).toBe('203.0.113.9');
    });

    it('finds the NAT-PMP gateway when no IGD answers', async () => {
      answerSsdp = false;
      const nat = await discoverAny(options(new SimulatedClock(0)));
      expect(String(nat)).toBe('natpmp(127.0.0.1)');
    });

    it('rejects with UNAVAILABLE when neither answers before the deadline', async () => {
      answerSsdp = false;
      pmp.behaviour = 'silent';
      const clock = new SimulatedClock(0);
      const pending = rejectedError(discoverAny(options(clock)), NatError);
      await new Promise<void>((r) => setImmediate(r));
      clock.advance(60_000);
      expect((await pending).code).toBe('UNAVAILABLE');
    });

    it('AutoNat discovers on first use and again after a failed discovery', async () => {
      answerSsdp = false;
      pmp.behaviour = 'silent';
      const clock = new SimulatedClock(0);
      const nat = createNat({ kind: 'any' }, { clock, discover: options(clock) });
      const first = rejectedError(nat?.externalIp() ?? Promise.resolve(), NatError);
      await new Promise<void>((r) => setImmediate(r));
      clock.advance(60_000);
      expect((await first).code).toBe('UNAVAILABLE');
      pmp.behaviour = 'ok';
      expect(await nat?.externalIp()).toBe('203.0.113.7');
      expect(String(nat)).toBe('natpmp(127.0.0.1)');
    });
  });
});
