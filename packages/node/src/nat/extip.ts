/**
 * `extip:<ip>`: the external IP is known and no port is mapped (geth `nat.ExtIP`).
 * @module
 */
import { IpOnlyNat } from './ip-only.ts';

/** A fixed external IP; mappings are no-ops that keep the requested port. */
export class ExtIp extends IpOnlyNat {
  readonly #ip: string;

  /** `ip` must already be validated (see `parseNat`). */
  constructor(ip: string) {
    super();
    this.#ip = ip;
  }

  override async externalIp(): Promise<string> {
    return this.#ip;
  }

  override toString(): string {
    return `extip:${this.#ip}`;
  }
}
