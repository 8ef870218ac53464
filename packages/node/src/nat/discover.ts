/**
 * Finding a gateway when none is given (geth `p2p/nat` `Any`, `UPnP`, `PMP` without a gateway):
 * an SSDP search for an IGD, NAT-PMP requests to the likely gateways of our private networks,
 * and {@link AutoNat}, which discovers on first use and again after a failure.
 * @module
 */
import { networkInterfaces } from 'node:os';
import { type Clock, systemClock } from '@ethp2p/base';
import { ipToBytes } from '@ethp2p/enode';
import { NatError } from './errors.ts';
import type { NatInterface, NatMapping, NatRequestOptions } from './nat-interface.ts';
import { PmpNat } from './pmp.ts';
import { udpExchange } from './udp-exchange.ts';
import { UpnpNat } from './upnp.ts';

/** The SSDP multicast group and port (UPnP Device Architecture 1.1 §1.1.2). */
export const SSDP_GROUP = { host: '239.255.255.250', port: 1900 } as const;
/** How long a discovery waits for an answer (geth waits 3 s for UPnP and 1 s per PMP gateway). */
export const DISCOVERY_TIMEOUT_MS = 3_000;

/** Where discovery looks; the defaults are the LAN, tests point them at loopback fakes. */
export interface DiscoverOptions {
  readonly clock?: Clock;
  readonly timeoutMs?: number;
  /** Where the SSDP search goes (default the multicast group). */
  readonly ssdp?: { readonly host: string; readonly port: number };
  /** NAT-PMP gateways to ask (default {@link potentialGateways}). */
  readonly pmpGateways?: readonly string[];
  /** NAT-PMP port of those gateways (default 5351). */
  readonly pmpPort?: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * An IGD found by an SSDP M-SEARCH (IGD:1; IGD:2 devices answer it too, UDA 1.1 §1.3.2).
 * @throws {NatError} TIMEOUT when no device answers, BAD_REPLY for an answer without LOCATION
 */
export async function discoverUpnp(options: DiscoverOptions = {}): Promise<NatInterface> {
  const target = options.ssdp ?? SSDP_GROUP;
  const search =
    'M-SEARCH * HTTP/1.1\r\n' +
    `HOST: ${SSDP_GROUP.host}:${SSDP_GROUP.port}\r\n` +
    'ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n' +
    'MAN: "ssdp:discover"\r\nMX: 2\r\n\r\n';
  const clock = options.clock ?? systemClock;
  const location = await udpExchange({
    host: target.host,
    port: target.port,
    request: new TextEncoder().encode(search),
    decode: (msg) => ssdpLocation(new TextDecoder().decode(msg)),
    clock,
    timeoutMs: options.timeoutMs ?? DISCOVERY_TIMEOUT_MS,
    what: 'upnp gateway search',
    signal: options.signal,
    fromAnySource: true,
  });
  return new UpnpNat({ location, clock });
}

/** The LOCATION of an SSDP answer for an IGD; undefined for other answers. */
export function ssdpLocation(text: string): URL | undefined {
  if (!text.startsWith('HTTP/1.1 200')) return undefined;
  const line = /^location:[ \t]*(\S+)[ \t]*$/im.exec(text);
  if (line?.[1] === undefined) return undefined;
  try {
    const url = new URL(line[1]);
    return url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first of `pmpGateways` that answers a NAT-PMP external address request.
 * @throws {NatError} UNAVAILABLE when none answers
 */
export async function discoverPmp(options: DiscoverOptions = {}): Promise<NatInterface> {
  const gateways = options.pmpGateways ?? potentialGateways();
  const found = gateways.map(async (gateway) => {
    const nat = new PmpNat({
      gateway,
      ...(options.pmpPort === undefined ? {} : { port: options.pmpPort }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      timeoutMs: options.timeoutMs ?? DISCOVERY_TIMEOUT_MS,
    });
    await nat.externalIp({ ...(options.signal === undefined ? {} : { signal: options.signal }) });
    return nat;
  });
  return firstOf(found, 'no nat-pmp gateway answered');
}

/** UPnP and NAT-PMP searched at once; the first to answer wins (geth `nat.Any`). */
export function discoverAny(options: DiscoverOptions = {}): Promise<NatInterface> {
  return firstOf([discoverUpnp(options), discoverPmp(options)], 'no upnp or nat-pmp gateway found');
}

/**
 * The likely gateways: the first address of each private IPv4 network we are on
 * (geth `potentialGateways`), from `interfaces` (default the host's).
 */
export function potentialGateways(
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): string[] {
  const out = new Set<string>();
  for (const list of Object.values(interfaces)) {
    for (const i of list ?? []) {
      if (i.internal || i.family !== 'IPv4' || !isPrivateV4(i.address)) continue;
      const ip = ipToBytes(i.address);
      const mask = ipToBytes(i.netmask);
      if (ip === undefined || mask === undefined) continue;
      const gw = ip.map((b, k) => b & (mask[k] ?? 0));
      gw[3] = (gw[3] ?? 0) | 1;
      out.add([...gw].join('.'));
    }
  }
  return [...out];
}

function isPrivateV4(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return (
    a === 10 || (a === 172 && b !== undefined && b >= 16 && b < 32) || (a === 192 && b === 168)
  );
}

/** The first fulfilled promise; rejects with UNAVAILABLE when all reject. */
async function firstOf<T>(promises: readonly Promise<T>[], message: string): Promise<T> {
  try {
    return await Promise.any(promises);
  } catch (err) {
    throw new NatError('UNAVAILABLE', message, { cause: err });
  }
}

/**
 * A NAT method found on first use by `discover` (geth `autodisc`). A failed discovery is
 * retried on the next call; a found method is kept.
 */
export class AutoNat implements NatInterface {
  readonly mapsPorts = true;
  readonly #what: string;
  readonly #discover: (signal: AbortSignal | undefined) => Promise<NatInterface>;
  #found: NatInterface | undefined;

  constructor(what: string, discover: (signal: AbortSignal | undefined) => Promise<NatInterface>) {
    this.#what = what;
    this.#discover = discover;
  }

  async externalIp(options?: NatRequestOptions): Promise<string> {
    return (await this.#nat(options)).externalIp(options);
  }

  async addMapping(mapping: NatMapping, options?: NatRequestOptions): Promise<number> {
    return (await this.#nat(options)).addMapping(mapping, options);
  }

  async deleteMapping(mapping: NatMapping, options?: NatRequestOptions): Promise<void> {
    await (await this.#nat(options)).deleteMapping(mapping, options);
  }

  async close(): Promise<void> {
    await this.#found?.close();
  }

  toString(): string {
    return this.#found === undefined ? this.#what : this.#found.toString();
  }

  async #nat(options?: NatRequestOptions): Promise<NatInterface> {
    this.#found ??= await this.#discover(options?.signal);
    return this.#found;
  }
}
