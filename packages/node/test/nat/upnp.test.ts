import { SimulatedClock } from '@ethp2p/base';
import { rejectedError, waitFor } from '@ethp2p/base/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NatError } from '../../src/nat/errors.ts';
import { MAX_GATEWAY_ANSWER_BYTES } from '../../src/nat/http.ts';
import { UPNP_TIMEOUT_MS, UpnpNat } from '../../src/nat/upnp.ts';
import { FakeIgd, soapFault } from './fake-igd.ts';

describe('UpnpNat against a fake IGD on loopback', () => {
  let igd: FakeIgd;
  let clock: SimulatedClock;
  let nat: UpnpNat;

  beforeEach(async () => {
    igd = await FakeIgd.start();
    clock = new SimulatedClock(0);
    nat = new UpnpNat({ location: igd.location, clock });
  });
  afterEach(() => igd.close());

  it('finds the WAN service in a nested IGD v1 description and reads the external IP', async () => {
    expect(await nat.externalIp()).toBe('203.0.113.9');
    expect(igd.calls).toEqual([{ action: 'GetExternalIPAddress', args: {} }]);
  });

  it('maps with AddPortMapping (lease in seconds, our loopback address) and deletes by external port', async () => {
    expect(
      await nat.addMapping({
        protocol: 'tcp',
        extPort: 30303,
        intPort: 30304,
        name: 'ethp2p tcp',
        lifetimeMs: 600_000,
      }),
    ).toBe(30303);
    await nat.deleteMapping({
      protocol: 'udp',
      extPort: 30305,
      intPort: 30306,
      name: '',
      lifetimeMs: 0,
    });
    expect(igd.calls).toEqual([
      {
        action: 'AddPortMapping',
        args: {
          NewRemoteHost: '',
          NewExternalPort: '30303',
          NewProtocol: 'TCP',
          NewInternalPort: '30304',
          NewInternalClient: '127.0.0.1',
          NewEnabled: '1',
          NewPortMappingDescription: 'ethp2p tcp',
          NewLeaseDuration: '600',
        },
      },
      {
        action: 'DeletePortMapping',
        args: { NewRemoteHost: '', NewExternalPort: '30305', NewProtocol: 'UDP' },
      },
    ]);
  });

  it('on IGD v2 falls back to AddAnyPortMapping when the port is taken', async () => {
    igd.serviceType = 'urn:schemas-upnp-org:service:WANIPConnection:2';
    igd.overrides.set('AddPortMapping', {
      status: 500,
      body: soapFault(718, 'ConflictInMappingEntry'),
    });
    expect(
      await nat.addMapping({
        protocol: 'udp',
        extPort: 30303,
        intPort: 30303,
        name: 'x',
        lifetimeMs: 600_000,
      }),
    ).toBe(30304);
    expect(igd.calls.map((c) => c.action)).toEqual(['AddPortMapping', 'AddAnyPortMapping']);
  });

  it('turns a SOAP fault into GATEWAY_ERROR with the UPnP code (IGD v1: no fallback)', async () => {
    igd.overrides.set('AddPortMapping', {
      status: 500,
      body: soapFault(718, 'ConflictInMappingEntry'),
    });
    const err = await rejectedError(
      nat.addMapping({ protocol: 'tcp', extPort: 1, intPort: 1, name: 'x', lifetimeMs: 1000 }),
      NatError,
    );
    expect(err.code).toBe('GATEWAY_ERROR');
    expect(err.message).toContain('718');
  });

  it.each([
    ['garbage', { status: 200, body: 'not xml at all' }],
    [
      'no ip',
      {
        status: 200,
        body: '<GetExternalIPAddressResponse><NewExternalIPAddress>x</NewExternalIPAddress></GetExternalIPAddressResponse>',
      },
    ],
    ['an oversized answer', { status: 200, body: 'a'.repeat(MAX_GATEWAY_ANSWER_BYTES + 1) }],
  ])('rejects %s with BAD_REPLY', async (_name, override) => {
    igd.overrides.set('GetExternalIPAddress', override);
    expect((await rejectedError(nat.externalIp(), NatError)).code).toBe('BAD_REPLY');
  });

  it('rejects a description without a WAN service with BAD_REPLY', async () => {
    igd.description = '<root><device><serviceList></serviceList></device></root>';
    expect((await rejectedError(nat.externalIp(), NatError)).code).toBe('BAD_REPLY');
  });

  it('rejects a gateway that never answers with TIMEOUT at the deadline', async () => {
    igd.overrides.set('GetExternalIPAddress', 'hang');
    const pending = rejectedError(nat.externalIp(), NatError);
    await waitFor(() => igd.calls.length === 1, { what: 'the request' });
    clock.advance(UPNP_TIMEOUT_MS);
    expect((await pending).code).toBe('TIMEOUT');
  });

  it('rejects an unreachable gateway with UNAVAILABLE', async () => {
    const location = igd.location;
    await igd.close();
    igd = await FakeIgd.start();
    const dead = new UpnpNat({ location, clock });
    expect((await rejectedError(dead.externalIp(), NatError)).code).toBe('UNAVAILABLE');
  });
});
