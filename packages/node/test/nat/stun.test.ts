import { SimulatedClock } from '@ethp2p/base';
import { rejectedError, thrownError } from '@ethp2p/base/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NatError } from '../../src/nat/errors.ts';
import { StunNat } from '../../src/nat/stun.ts';
import { decodeBindingResponse, encodeBindingRequest } from '../../src/nat/stun-codec.ts';
import { FakeStunServer } from './fake-gateways.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));

// RFC 5769 §2.2 "Sample IPv4 Response": XOR-MAPPED-ADDRESS 192.0.2.1:32853.
const RFC5769_IPV4_RESPONSE = hex(`
  0101003c 2112a442 b7e7a701 bc34d686 fa87dfae
  80220 00b 74657374 20766563 746f7220
  00200008 0001a147 e112a643
  00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
  80280004 c07d4c96`);
const RFC5769_TXID = hex('b7e7a701bc34d686fa87dfae');

describe('STUN codec', () => {
  it('decodes the RFC 5769 IPv4 response vector', () => {
    expect(decodeBindingResponse(RFC5769_IPV4_RESPONSE, RFC5769_TXID)).toEqual({
      ip: '192.0.2.1',
      port: 32853,
    });
  });

  it('ignores another transaction and rejects garbage with BAD_REPLY', () => {
    expect(decodeBindingResponse(RFC5769_IPV4_RESPONSE, new Uint8Array(12))).toBeUndefined();
    for (const bad of [
      new Uint8Array(5),
      RFC5769_IPV4_RESPONSE.slice(0, 30),
      Uint8Array.of(...RFC5769_IPV4_RESPONSE.subarray(0, 4), 0, 0, 0, 0, ...RFC5769_TXID),
    ]) {
      expect(thrownError(() => decodeBindingResponse(bad, RFC5769_TXID), NatError).code).toBe(
        'BAD_REPLY',
      );
    }
  });

  it('encodes a 20-byte binding request with the magic cookie', () => {
    const req = encodeBindingRequest(RFC5769_TXID);
    expect(Buffer.from(req).toString('hex')).toBe('000100002112a442b7e7a701bc34d686fa87dfae');
  });
});

describe('StunNat against a fake STUN server on loopback', () => {
  let server: FakeStunServer;
  let nat: StunNat;
  const clock = new SimulatedClock(0);

  beforeEach(async () => {
    server = await FakeStunServer.start();
    nat = new StunNat({ host: '127.0.0.1', port: server.port, clock });
  });
  afterEach(() => server.close());

  it('learns the reflexive IP and maps nothing', async () => {
    expect(await nat.externalIp()).toBe('198.51.100.20');
    expect(server.requests).toBe(1);
    expect(nat.mapsPorts).toBe(false);
    expect(
      await nat.addMapping({
        protocol: 'tcp',
        extPort: 30303,
        intPort: 30303,
        name: 'x',
        lifetimeMs: 1000,
      }),
    ).toBe(30303);
  });

  it('rejects an error response with GATEWAY_ERROR and garbage with BAD_REPLY', async () => {
    server.answer = (req) => {
      const out = new Uint8Array(28);
      out.set(req.subarray(0, 20));
      out.set([0x01, 0x11, 0x00, 0x08], 0);
      out.set([0x00, 0x09, 0x00, 0x04, 0, 0, 4, 20], 20);
      return out;
    };
    const err = await rejectedError(nat.externalIp(), NatError);
    expect(err.code).toBe('GATEWAY_ERROR');
    expect(err.message).toContain('420');
    server.answer = (req) => Uint8Array.of(1, 1, 0, 0, ...req.subarray(4, 20));
    expect((await rejectedError(nat.externalIp(), NatError)).code).toBe('BAD_REPLY');
  });
});
