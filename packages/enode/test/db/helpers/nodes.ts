import { generatePrivateKey, keccak256, publicKey } from '@ethp2p/crypto';
import { Enr } from '../../../src/enr/record.ts';
import { Node } from '../../../src/node.ts';

/** A node with a fresh key, signed at `seq` with the given IPv4 endpoint. */
export function signedNode(ip: string, seq = 1n, key = generatePrivateKey()): Node {
  return Node.fromEnr(Enr.sign({ seq, entries: { ip, udp: 30303, tcp: 30303 } }, key));
}

/** An unsigned node (from a public key), as discovered from an enode URL. */
export function plainNode(ip: string | undefined, key = generatePrivateKey()): Node {
  const pub = publicKey(key);
  return Node.fromPublicKey(pub, ip === undefined ? {} : { ip, udp: 30303, tcp: 30303 });
}

/** A deterministic private key for test node number `i`. */
export function testKey(i: number): Uint8Array {
  return keccak256(new TextEncoder().encode(`ethp2p node-db test key ${i}`));
}
