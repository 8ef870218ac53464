/**
 * Cache keys of the session layer: sessions and challenges belong to a node ID at a UDP
 * endpoint (geth `sessionID{id, addr}`), so a node that moves must handshake again.
 * @module
 */
import { bytesToHex } from '@ethp2p/crypto';

/** A UDP endpoint. */
export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

/** The key of (`id`, `endpoint`). */
export function sessionKey(id: Uint8Array, endpoint: Endpoint): string {
  return `${bytesToHex(id)}@${endpoint.ip}:${endpoint.port}`;
}
