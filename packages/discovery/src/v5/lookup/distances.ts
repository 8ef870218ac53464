/**
 * Which log distances a discv5 lookup asks a node for (geth `p2p/discover/v5_udp.go`
 * `lookupDistances`).
 * @see https://github.com/ethereum/devp2p/blob/master/discv5/discv5-theory.md#lookup
 * @module
 */
import { logDistance } from '@ethp2p/enode';
import { MAX_LOG_DISTANCE } from '../wire/constants.ts';

/** Distances asked per FINDNODE of a lookup (geth `lookupRequestLimit`). */
export const LOOKUP_REQUEST_LIMIT = 3;

/**
 * The distances to ask `destId` for when looking up `targetId`: the target's own distance `d`
 * from the destination, then `d+1`, `d-1`, `d+2`, `d-2`, … within 1–256, until
 * {@link LOOKUP_REQUEST_LIMIT} are listed. Distance 0 (the node's own record) appears only when
 * the destination is the target.
 */
export function lookupDistances(targetId: Uint8Array, destId: Uint8Array): number[] {
  const d = logDistance(targetId, destId);
  const out = [d];
  for (let i = 1; out.length < LOOKUP_REQUEST_LIMIT; i++) {
    if (d + i <= MAX_LOG_DISTANCE) out.push(d + i);
    if (d - i > 0 && out.length < LOOKUP_REQUEST_LIMIT) out.push(d - i);
  }
  return out;
}
