import { SimulatedClock } from '@ethp2p/base';
import { rejectedError, waitFor } from '@ethp2p/base/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NatError } from '../../src/nat/errors.ts';
import { PMP_TIMEOUT_MS, PmpNat } from '../../src/nat/pmp.ts';
import { FakePmpGateway } from './fake-gateways.ts';

describe('PmpNat against a fake NAT-PMP gateway on loopback', () => {
  let gw: FakePmpGateway;
  let clock: SimulatedClock;
  let nat: PmpNat;

  beforeEach(async () => {
    gw = await FakePmpGateway.start();
    clock = new SimulatedClock(1_000_000);
    nat = new PmpNat({ gateway: '127.0.0.1', port: gw.port, clock });
  });
  afterEach(async () => {
    await nat.close();
    await gw.close();
  });

  it('reads the external address', async () => {
    expect(await nat.externalIp()).toBe('203.0.113.7');
    expect(gw.requests).toEqual([{ op: 0, internalPort: 0, externalPort: 0, lifetimeS: 0 }]);
  });

  it('maps TCP and UDP with the lifetime in seconds and returns the granted port', async () => {
    gw.portOffset = 5;
    expect(
      await nat.addMapping({
        protocol: 'tcp',
        extPort: 30303,
        intPort: 30303,
        name: 'ethp2p',
        lifetimeMs: 600_000,
      }),
    ).toBe(30308);
    expect(
      await nat.addMapping({
        protocol: 'udp',
        extPort: 30301,
        intPort: 30301,
        name: 'ethp2p',
        lifetimeMs: 600_000,
      }),
    ).toBe(30306);
    expect(gw.requests).toEqual([
      { op: 2, internalPort: 30303, externalPort: 30303, lifetimeS: 600 },
      { op: 1, internalPort: 30301, externalPort: 30301, lifetimeS: 600 },
    ]);
  });

  it('deletes with lifetime 0 and external port 0 (RFC 6886 §3.4)', async () => {
    await nat.deleteMapping({
      protocol: 'udp',
      extPort: 30303,
      intPort: 30303,
      name: '',
      lifetimeMs: 0,
    });
    expect(gw.requests).toEqual([{ op: 1, internalPort: 30303, externalPort: 0, lifetimeS: 0 }]);
  });

  it('rejects a non-zero result code with GATEWAY_ERROR', async () => {
    gw.behaviour = {
      answer: (req) => Uint8Array.of(0, (req[1] ?? 0) + 128, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0),
    };
    const err = await rejectedError(nat.externalIp(), NatError);
    expect(err.code).toBe('GATEWAY_ERROR');
    expect(err.message).toContain('not authorized');
  });

  it.each([
    ['a short datagram', () => Uint8Array.of(0, 128, 0)],
    ['a wrong version', () => Uint8Array.of(1, 128, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4)],
    ['a truncated address answer', () => Uint8Array.of(0, 128, 0, 0, 0, 0, 0, 0, 1)],
  ])('rejects %s with BAD_REPLY', async (_name, answer) => {
    gw.behaviour = { answer };
    const err = await rejectedError(nat.externalIp(), NatError);
    expect(err.code).toBe('BAD_REPLY');
  });

  it.each([
    ['a truncated mapping answer', Uint8Array.of(0, 130, 0, 0, 0, 0, 0, 0, 1, 2)],
    ['a mapping of another port', Uint8Array.of(0, 130, 0, 0, 0, 0, 0, 0, 0, 9, 0, 9, 0, 0, 0, 1)],
  ])('rejects %s with BAD_REPLY', async (_name, answer) => {
    gw.behaviour = { answer: () => answer };
    const mapping = {
      protocol: 'tcp',
      extPort: 1,
      intPort: 1,
      name: 'x',
      lifetimeMs: 1000,
    } as const;
    expect((await rejectedError(nat.addMapping(mapping), NatError)).code).toBe('BAD_REPLY');
  });

  it('retransmits while silent and rejects with TIMEOUT at the deadline', async () => {
    gw.behaviour = 'silent';
    const pending = rejectedError(nat.externalIp(), NatError);
    await waitFor(() => gw.requests.length === 1, { what: 'the first request' });
    clock.advance(250);
    await waitFor(() => gw.requests.length === 2, { what: 'a retransmission' });
    clock.advance(PMP_TIMEOUT_MS);
    expect((await pending).code).toBe('TIMEOUT');
  });

  it('stops at once on abort', async () => {
    gw.behaviour = 'silent';
    const ctl = new AbortController();
    const pending = nat.externalIp({ signal: ctl.signal });
    ctl.abort(new Error('stopped'));
    await expect(pending).rejects.toThrow('stopped');
  });
});
