/**
 * `PortMapper`: keeps our ports mapped on the gateway and the external IP in the local record,
 * after geth `p2p/server_nat.go` `portMappingLoop`.
 * @module
 */
import { type Clock, defaultLogger, type Logger, sleep, systemClock } from '@ethp2p/base';
import type { LocalNode } from '@ethp2p/enode';
import type { NatInterface, NatMapping, NatProtocol } from './nat-interface.ts';

/** Lifetime asked for each mapping (geth `portMapDuration`). */
export const PORT_MAP_DURATION_MS: number = 10 * 60_000;
/** A mapping is renewed this long after it was made, before it expires (geth `portMapRefreshInterval`). */
export const PORT_MAP_REFRESH_MS: number = 8 * 60_000;
/** A failed mapping is retried after this long (geth `portMapRetryInterval`). */
export const PORT_MAP_RETRY_MS: number = 5 * 60_000;
/** A failed external IP query is retried after this long (geth `extipRetryInterval`). */
export const EXTIP_RETRY_MS: number = 2 * 60_000;

/** Options of {@link PortMapper}. */
export interface PortMapperOptions {
  readonly nat: NatInterface;
  /** The record that gets the external IP and, when the gateway picked other ports, those. */
  readonly localNode: LocalNode;
  /** The RLPx TCP port to map (none: not listening). */
  readonly tcpPort?: number | undefined;
  /** The discovery UDP port to map (none: no discovery). */
  readonly udpPort?: number | undefined;
  /** The mapping description shown by the gateway (default `ethp2p`). */
  readonly name?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** One port's mapping: `extPort` is set while the gateway holds it. */
interface Mapping {
  readonly protocol: NatProtocol;
  readonly port: number;
  extPort: number | undefined;
  nextAt: number;
  failed: boolean | undefined;
}

/** A mapping as {@link PortMapper.mappings} reports it. */
export interface MappingStatus {
  readonly protocol: NatProtocol;
  readonly port: number;
  /** The external port while mapped, else undefined. */
  readonly extPort: number | undefined;
}

/**
 * The mapping loop. `start()` maps at once; each mapping is renewed every 8 minutes (it is asked
 * for 10) and a failure is retried after 5, the external IP is re-read with each renewal and
 * retried after 2 when it fails. The loop logs at info only when a mapping or the IP changes
 * state, so a gateway that keeps failing logs once. `stop()` deletes the mappings. All state
 * belongs to the loop; the record is only written from it.
 */
export class PortMapper {
  readonly #nat: NatInterface;
  readonly #localNode: LocalNode;
  readonly #name: string;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #mappings: Mapping[] = [];
  readonly #stop = new AbortController();
  #ip: { nextAt: number; value: string | undefined; failed: boolean | undefined };
  #loop: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;

  constructor(options: PortMapperOptions) {
    this.#nat = options.nat;
    this.#localNode = options.localNode;
    this.#name = options.name ?? 'ethp2p';
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger ?? defaultLogger;
    const now = this.#clock.now();
    this.#ip = { nextAt: now, value: undefined, failed: undefined };
    if (options.tcpPort !== undefined) this.#add('tcp', options.tcpPort, now);
    if (options.udpPort !== undefined) this.#add('udp', options.udpPort, now);
  }

  /** The external IP last read, if any. */
  get externalIp(): string | undefined {
    return this.#ip.value;
  }

  /** The mappings and their external ports. */
  mappings(): MappingStatus[] {
    return this.#mappings.map(({ protocol, port, extPort }) => ({ protocol, port, extPort }));
  }

  /** Starts the loop (once). */
  start(): void {
    this.#loop ??= this.#run().catch((err: unknown) => {
      if (!this.#stop.signal.aborted) this.#log.error('nat loop failed', { err: String(err) });
    });
  }

  /** Stops the loop and deletes the mappings the gateway holds. Safe to call twice. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#stop.abort(new Error('port mapper stopped'));
      await this.#loop;
      await Promise.all(this.#mappings.map((m) => this.#unmap(m)));
      await this.#nat.close();
    })();
    return this.#stopping;
  }

  #add(protocol: NatProtocol, port: number, now: number): void {
    if (this.#nat.mapsPorts)
      this.#mappings.push({ protocol, port, extPort: undefined, nextAt: now, failed: undefined });
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      const now = this.#clock.now();
      if (this.#ip.nextAt <= now) await this.#refreshIp(signal);
      for (const m of this.#mappings) {
        if (m.nextAt <= this.#clock.now() && !signal.aborted) await this.#map(m, signal);
      }
      const next = Math.min(this.#ip.nextAt, ...this.#mappings.map((m) => m.nextAt));
      await sleep(this.#clock, next - this.#clock.now(), signal);
    }
  }

  async #refreshIp(signal: AbortSignal): Promise<void> {
    try {
      const ip = await this.#nat.externalIp({ signal });
      this.#ip.nextAt = this.#clock.now() + PORT_MAP_REFRESH_MS;
      if (ip !== this.#ip.value || this.#ip.failed !== false) {
        this.#log.info('nat external ip', { nat: this.#nat.toString(), ip });
      }
      this.#ip.failed = false;
      if (ip !== this.#ip.value) {
        this.#ip.value = ip;
        this.#localNode.setStaticIp(ip);
      }
    } catch (err) {
      if (signal.aborted) return;
      this.#ip.nextAt = this.#clock.now() + EXTIP_RETRY_MS;
      if (this.#ip.failed !== true) {
        this.#log.info('nat external ip unavailable', {
          nat: this.#nat.toString(),
          err: String(err),
        });
      }
      this.#ip.failed = true;
    }
  }

  async #map(m: Mapping, signal: AbortSignal): Promise<void> {
    const nat = this.#nat.toString();
    const fields = { nat, proto: m.protocol, port: m.port };
    try {
      const asked = m.extPort ?? m.port;
      const ext = await this.#nat.addMapping(this.#request(m, asked), { signal });
      m.nextAt = this.#clock.now() + PORT_MAP_REFRESH_MS;
      if (m.failed !== false || ext !== m.extPort)
        this.#log.info('nat mapped port', { ...fields, extPort: ext });
      m.failed = false;
      this.#setPort(m, ext);
    } catch (err) {
      if (signal.aborted) return;
      m.nextAt = this.#clock.now() + PORT_MAP_RETRY_MS;
      if (m.failed !== true)
        this.#log.info('nat port mapping failed', { ...fields, err: String(err) });
      m.failed = true;
      this.#setPort(m, undefined);
    }
  }

  /** Records the external port and advertises it (the internal port when unmapped). */
  #setPort(m: Mapping, ext: number | undefined): void {
    if (ext === m.extPort) return;
    m.extPort = ext;
    const advertised = ext ?? m.port;
    if (m.protocol === 'tcp') this.#localNode.set('tcp', advertised);
    else this.#localNode.setFallbackUdpPort(advertised);
  }

  /** What the gateway is asked for `m`, external port `extPort`. */
  #request(m: Mapping, extPort: number): NatMapping {
    const name = `${this.#name} ${m.protocol}`;
    return {
      protocol: m.protocol,
      extPort,
      intPort: m.port,
      name,
      lifetimeMs: PORT_MAP_DURATION_MS,
    };
  }

  async #unmap(m: Mapping): Promise<void> {
    if (m.extPort === undefined) return;
    const ext = m.extPort;
    try {
      // Each method bounds its own requests on the injected clock.
      await this.#nat.deleteMapping(this.#request(m, ext));
      this.#log.debug('nat deleted mapping', {
        nat: this.#nat.toString(),
        proto: m.protocol,
        extPort: ext,
      });
    } catch (err) {
      this.#log.warn('nat could not delete mapping', {
        nat: this.#nat.toString(),
        proto: m.protocol,
        extPort: ext,
        err: String(err),
      });
    }
    m.extPort = undefined;
  }
}
