/**
 * `stun:<ip>:<port>`: the external IP from a STUN binding request (RFC 5389), after geth
 * `p2p/nat/stun.go`. No ports are mapped. A minimal client (one request type, one attribute)
 * rather than a dependency: the npm `stun` package pulls a server, TURN and crypto we don't need.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '@ethp2p/base';
import { IpOnlyNat } from './ip-only.ts';
import type { NatRequestOptions } from './nat-interface.ts';
import { decodeBindingResponse, encodeBindingRequest } from './stun-codec.ts';
import { udpExchange } from './udp-exchange.ts';

/** Default deadline of one binding request (RFC 5389 §7.2.1 gives up after 39.5 s; we are briefer). */
export const STUN_TIMEOUT_MS = 3_000;

/** Options of {@link StunNat}. */
export interface StunNatOptions {
  readonly host: string;
  readonly port: number;
  readonly clock?: Clock;
  readonly timeoutMs?: number;
}

/** A STUN server asked for our reflexive address. */
export class StunNat extends IpOnlyNat {
  readonly #options: StunNatOptions;

  constructor(options: StunNatOptions) {
    super();
    this.#options = options;
  }

  override async externalIp(options?: NatRequestOptions): Promise<string> {
    const { host, port } = this.#options;
    const transactionId = new Uint8Array(randomBytes(12));
    const mapped = await udpExchange({
      host,
      port,
      request: encodeBindingRequest(transactionId),
      decode: (msg) => decodeBindingResponse(msg, transactionId),
      clock: this.#options.clock ?? systemClock,
      timeoutMs: this.#options.timeoutMs ?? STUN_TIMEOUT_MS,
      what: `stun server ${host}:${port}`,
      signal: options?.signal,
    });
    return mapped.ip;
  }

  override toString(): string {
    return `stun(${this.#options.host}:${this.#options.port})`;
  }
}
