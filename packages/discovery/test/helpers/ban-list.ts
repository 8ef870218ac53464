/** A ban list for the discovery tests: sets of banned IPs and hex node IDs the test edits. */
import { bytesToHex } from '@ethp2p/crypto';
import type { BanCheck } from '../../src/ban-check.ts';

/** A {@link BanCheck} over `ips` (as the socket reports them) and `ids` (hex). */
export interface TestBanList extends BanCheck {
  readonly ips: Set<string>;
  readonly ids: Set<string>;
}

/** An empty ban list. */
export function testBanList(): TestBanList {
  const ips = new Set<string>();
  const ids = new Set<string>();
  return {
    ips,
    ids,
    isBannedIp: (ip) => ips.has(ip),
    isBannedId: (id) => ids.has(bytesToHex(id)),
  };
}
