/**
 * The narrow view of a ban list that discovery consults: discovery does not depend on the
 * server, which owns the list (`Server.reputation` satisfies this interface).
 * @module
 */

/** Whether an IP or a node ID is banned now; both must be cheap (a map lookup). */
export interface BanCheck {
  /** Whether datagrams from `ip` (text form, as the socket reports it) are ignored. */
  isBannedIp(ip: string): boolean;
  /** Whether node `id` (32 bytes) is ignored and kept out of the table. */
  isBannedId(id: Uint8Array): boolean;
}

/** Nothing is banned. */
export const NO_BANS: BanCheck = Object.freeze({
  isBannedIp: () => false,
  isBannedId: () => false,
});
