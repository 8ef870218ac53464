/**
 * Nodes with signed records for tests.
 * @module
 */
import { generatePrivateKey } from '@ethp2p/crypto';
import { Enr, Node } from '@ethp2p/enode';

/** `n` nodes with fresh keys, records with seq i (geth `testNodes`) and a loopback endpoint. */
export function testNodes(n: number, port = 30303): Node[] {
  return Array.from({ length: n }, (_, i) =>
    Node.fromEnr(
      Enr.sign(
        { seq: BigInt(i), entries: { ip: '127.0.0.1', tcp: port, udp: port } },
        generatePrivateKey(),
      ),
    ),
  );
}
