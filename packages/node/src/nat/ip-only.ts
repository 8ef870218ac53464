/**
 * The base of the methods that only know an IP (extip, STUN): nothing is mapped.
 * @module
 */
import type { NatInterface, NatMapping, NatRequestOptions } from './nat-interface.ts';

/** A method without port mapping: `addMapping` keeps the port asked for, the rest is a no-op. */
export abstract class IpOnlyNat implements NatInterface {
  readonly mapsPorts = false;

  abstract externalIp(options?: NatRequestOptions): Promise<string>;

  async addMapping(mapping: NatMapping): Promise<number> {
    return mapping.extPort;
  }

  async deleteMapping(): Promise<void> {}

  async close(): Promise<void> {}
}
