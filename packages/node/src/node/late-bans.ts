/**
 * A ban check for discovery that forwards to the server's ban list once the server exists:
 * discovery is built first (the server dials its nodes), and nothing is banned until then.
 * @module
 */
import type { BanCheck } from '@ethp2p/discovery';

/** A {@link BanCheck} that asks its target, once {@link LateBans.bind} set one. */
export class LateBans implements BanCheck {
  #target: BanCheck | undefined;

  /** From now on, ask `target` (the server's `reputation`). */
  bind(target: BanCheck): void {
    this.#target = target;
  }

  isBannedIp(ip: string): boolean {
    return this.#target?.isBannedIp(ip) ?? false;
  }

  isBannedId(id: Uint8Array): boolean {
    return this.#target?.isBannedId(id) ?? false;
  }
}
