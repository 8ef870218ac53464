/**
 * NAT-PMP (RFC 6886) against one gateway, after geth `p2p/nat/natpmp.go`. Written here rather
 * than taken from `@achingbrain/nat-port-mapper`, whose NAT-PMP client binds the fixed client
 * port 5350, sends only to port 5351 (so a test gateway cannot run on an OS-picked loopback
 * port), throws inside its socket handler on a short answer (an uncaught exception) and never
 * retransmits.
 * @module
 */
import { type Clock, systemClock } from '@ethp2p/base';
import { NatError } from './errors.ts';
import type { NatInterface, NatMapping, NatRequestOptions } from './nat-interface.ts';
import {
  decodePmpAnswer,
  encodeExternalAddressRequest,
  encodeMappingRequest,
  PMP_SERVER_PORT,
  type PmpAnswer,
  requestOpcode,
} from './pmp-codec.ts';
import { udpExchange } from './udp-exchange.ts';

/** Default deadline of one NAT-PMP request (geth waits a second per gateway in discovery). */
export const PMP_TIMEOUT_MS = 2_000;

/** Options of {@link PmpNat}. */
export interface PmpNatOptions {
  /** The gateway's IP. */
  readonly gateway: string;
  /** The gateway's NAT-PMP port (default 5351; tests use an OS-picked one). */
  readonly port?: number;
  readonly clock?: Clock;
  readonly timeoutMs?: number;
}

/** A NAT-PMP gateway. Each request uses its own socket; nothing is held between requests. */
export class PmpNat implements NatInterface {
  readonly mapsPorts = true;
  readonly #gateway: string;
  readonly #port: number;
  readonly #clock: Clock;
  readonly #timeoutMs: number;

  constructor(options: PmpNatOptions) {
    this.#gateway = options.gateway;
    this.#port = options.port ?? PMP_SERVER_PORT;
    this.#clock = options.clock ?? systemClock;
    this.#timeoutMs = options.timeoutMs ?? PMP_TIMEOUT_MS;
  }

  async externalIp(options?: NatRequestOptions): Promise<string> {
    const answer = await this.#request(encodeExternalAddressRequest(), options);
    if (answer.kind !== 'address') throw new NatError('BAD_REPLY', 'nat-pmp answer of wrong kind');
    return answer.ip;
  }

  async addMapping(m: NatMapping, options?: NatRequestOptions): Promise<number> {
    const { protocol, extPort, intPort, lifetimeMs } = m;
    const lifetimeS = Math.max(1, Math.ceil(lifetimeMs / 1000));
    const request = encodeMappingRequest(protocol, intPort, extPort, lifetimeS);
    const answer = await this.#request(request, options);
    if (answer.kind !== 'mapping' || answer.internalPort !== intPort) {
      throw new NatError('BAD_REPLY', `nat-pmp mapping answer for another port`);
    }
    return answer.externalPort;
  }

  async deleteMapping(m: NatMapping, options?: NatRequestOptions): Promise<void> {
    // RFC 6886 §3.4: lifetime 0 and suggested external port 0 delete the mapping.
    await this.#request(encodeMappingRequest(m.protocol, m.intPort, 0, 0), options);
  }

  async close(): Promise<void> {}

  toString(): string {
    return `natpmp(${this.#gateway})`;
  }

  #request(request: Uint8Array, options?: NatRequestOptions): Promise<PmpAnswer> {
    const opcode = requestOpcode(request);
    return udpExchange({
      host: this.#gateway,
      port: this.#port,
      request,
      decode: (msg) => decodePmpAnswer(msg, opcode),
      clock: this.#clock,
      timeoutMs: this.#timeoutMs,
      what: `nat-pmp gateway ${this.#gateway}:${this.#port}`,
      signal: options?.signal,
    });
  }
}
