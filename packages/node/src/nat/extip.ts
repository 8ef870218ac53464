/**
 * `extip:<ip>`: the external IP is known and no port is mapped (geth `nat.ExtIP`).
 * @module
 */
import type { NatInterface, NatProtocol } from './nat-interface.ts';

/** A fixed external IP; mappings are no-ops that keep the requested port. */
export class ExtIp implements NatInterface {
  readonly mapsPorts = false;
  readonly #ip: string;

  /** `ip` must already be validated (see `parseNat`). */
  constructor(ip: string) {
    this.#ip = ip;
  }

  async externalIp(): Promise<string> {
    return this.#ip;
  }

  async addMapping(
    _protocol: NatProtocol,
    extPort: number,
    _intPort: number,
    _name: string,
    _lifetimeMs: number,
  ): Promise<number> {
    return extPort;
  }

  async deleteMapping(): Promise<void> {}

  async close(): Promise<void> {}

  toString(): string {
    return `extip:${this.#ip}`;
  }
}
