/**
 * UPnP IGD port mapping (IGD v1 and v2), after geth `p2p/nat/natupnp.go`. Written here rather
 * than taken from `@achingbrain/nat-port-mapper`, whose UPnP client accepts only IGD v2 devices
 * (most home routers announce v1), forces leases of at least an hour, and deletes a mapping by
 * its internal port with an empty protocol (which a conforming gateway refuses; the library
 * swallows the error), so mappings would outlive the node.
 * @module
 */
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { type Clock, systemClock } from '@ethp2p/base';
import { normalizeIp } from '@ethp2p/enode';
import { NatError } from './errors.ts';
import { gatewayRequest } from './http.ts';
import type { NatInterface, NatMapping, NatRequestOptions } from './nat-interface.ts';
import {
  checkSoapResponse,
  encodeSoapRequest,
  parseDescription,
  type WanService,
  xmlField,
} from './upnp-xml.ts';

/** Default deadline of one UPnP HTTP request. */
export const UPNP_TIMEOUT_MS = 3_000;

/** Options of {@link UpnpNat}. */
export interface UpnpNatOptions {
  /** The gateway's device description URL (from SSDP's LOCATION). */
  readonly location: URL;
  readonly clock?: Clock;
  readonly timeoutMs?: number;
}

/**
 * A UPnP internet gateway. The description is fetched on first use and kept; a failed fetch is
 * retried on the next call.
 */
export class UpnpNat implements NatInterface {
  readonly mapsPorts = true;
  readonly #location: URL;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  #service: WanService | undefined;

  constructor(options: UpnpNatOptions) {
    this.#location = options.location;
    this.#clock = options.clock ?? systemClock;
    this.#timeoutMs = options.timeoutMs ?? UPNP_TIMEOUT_MS;
  }

  async externalIp(options?: NatRequestOptions): Promise<string> {
    const xml = await this.#soap('GetExternalIPAddress', [], options);
    const ip = normalizeIp(xmlField(xml, 'NewExternalIPAddress') ?? '');
    if (ip === undefined) throw new NatError('BAD_REPLY', 'upnp gateway gave no valid external ip');
    return ip;
  }

  async addMapping(m: NatMapping, options?: NatRequestOptions): Promise<number> {
    const { protocol, extPort, intPort, name, lifetimeMs } = m;
    const client = await this.#internalClient();
    const lease = Math.max(1, Math.ceil(lifetimeMs / 1000));
    const args = [
      ['NewRemoteHost', ''],
      ['NewExternalPort', extPort],
      ['NewProtocol', protocol.toUpperCase()],
      ['NewInternalPort', intPort],
      ['NewInternalClient', client],
      ['NewEnabled', 1],
      ['NewPortMappingDescription', name],
      ['NewLeaseDuration', lease],
    ] as const;
    try {
      await this.#soap('AddPortMapping', args, options);
      return extPort;
    } catch (err) {
      // IGD v2 can pick a free port itself when the one asked for is taken (geth does the same).
      const v2 = this.#service?.serviceType.endsWith('WANIPConnection:2') === true;
      if (!v2 || !(err instanceof NatError) || err.code !== 'GATEWAY_ERROR') throw err;
      const xml = await this.#soap('AddAnyPortMapping', args, options);
      const port = Number(xmlField(xml, 'NewReservedPort'));
      if (!Number.isInteger(port) || port <= 0 || port > 0xffff) {
        throw new NatError('BAD_REPLY', 'upnp AddAnyPortMapping gave no valid port');
      }
      return port;
    }
  }

  async deleteMapping(m: NatMapping, options?: NatRequestOptions): Promise<void> {
    const args = [
      ['NewRemoteHost', ''],
      ['NewExternalPort', m.extPort],
      ['NewProtocol', m.protocol.toUpperCase()],
    ] as const;
    await this.#soap('DeletePortMapping', args, options);
  }

  async close(): Promise<void> {}

  toString(): string {
    return `upnp(${this.#location.host})`;
  }

  async #wan(options?: NatRequestOptions): Promise<WanService> {
    if (this.#service !== undefined) return this.#service;
    const { status, text } = await gatewayRequest({
      url: this.#location,
      method: 'GET',
      clock: this.#clock,
      timeoutMs: this.#timeoutMs,
      signal: options?.signal,
    });
    if (status !== 200) throw new NatError('BAD_REPLY', `upnp description answered ${status}`);
    this.#service = parseDescription(text, this.#location);
    return this.#service;
  }

  async #soap(
    action: string,
    args: readonly (readonly [string, string | number])[],
    options?: NatRequestOptions,
  ): Promise<string> {
    const wan = await this.#wan(options);
    const { text } = await gatewayRequest({
      url: wan.controlUrl,
      method: 'POST',
      headers: {
        'content-type': 'text/xml; charset="utf-8"',
        soapaction: `"${wan.serviceType}#${action}"`,
      },
      body: encodeSoapRequest(wan.serviceType, action, args),
      clock: this.#clock,
      timeoutMs: this.#timeoutMs,
      signal: options?.signal,
    });
    checkSoapResponse(text, action);
    return text;
  }

  /** Our address on the gateway's network: the source a UDP socket connected to it would use. */
  async #internalClient(): Promise<string> {
    const host = this.#location.hostname.replace(/^\[|\]$/g, '');
    const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.connect(Number(this.#location.port || 80), host, () => resolve());
      });
      return socket.address().address;
    } catch (err) {
      throw new NatError('UNAVAILABLE', `no route to upnp gateway ${host}`, { cause: err });
    } finally {
      socket.close();
    }
  }
}
