import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Enr } from '../../../src/enr/record.ts';
import { Node } from '../../../src/node.ts';

/** A node with a fresh key, signed at `seq` with the given IPv4 endpoint. */
export function signedNode(ip: string, seq = 1n, key = generatePrivateKey()): Node {
  return Node.fromEnr(Enr.sign({ seq, entries: { ip, udp: 30303, tcp: 30303 } }, key));
}

/** An unsigned node (from a public key), as discovered from an enode URL. */
export function plainNode(ip: string | undefined): Node {
  const pub = publicKey(generatePrivateKey());
  return Node.fromPublicKey(pub, ip === undefined ? {} : { ip, udp: 30303, tcp: 30303 });
}
