/**
 * NODES on both sides: splitting our answer into packets, and verifying the records of an
 * answer we asked for.
 * @module
 */
import { bytesToHex } from '@ethp2p/crypto';
import { Enr, logDistance, Node } from '@ethp2p/enode';
import { relayIpChecker } from '../../netutil.ts';

/**
 * The records of `nodes` in groups of at most `recordBytes` bytes each (one NODES message per
 * group, geth `packNodes`); one empty group when there are none.
 */
export function packRecords(nodes: readonly Node[], recordBytes: number): Uint8Array[][] {
  const groups: Uint8Array[][] = [[]];
  let size = 0;
  for (const n of nodes) {
    if (n.record === undefined) continue;
    const raw = n.record.encode();
    const current = groups[groups.length - 1] as Uint8Array[];
    if (current.length > 0 && size + raw.length > recordBytes) {
      groups.push([raw]);
      size = raw.length;
    } else {
      current.push(raw);
      size += raw.length;
    }
  }
  return groups;
}

/** Why a received record was not taken. */
export type RecordRejection = 'bad-nodes-record' | 'wrong-distance';

/**
 * Verifies the records a node sent for our FINDNODE: valid signature, an IP and UDP port the
 * sender may relay (geth `CheckRelayAddr`), one of the requested distances from the sender, no
 * duplicates. Calls `reject` for each record dropped.
 */
export class NodesCollector {
  readonly nodes: Node[] = [];
  readonly #seen = new Set<string>();
  readonly #targetId: Uint8Array;
  readonly #distances: ReadonlySet<number>;
  readonly #relayable: (ip: string) => string | undefined;

  constructor(sender: Node, senderIp: string, distances: readonly number[]) {
    this.#targetId = sender.id;
    this.#distances = new Set(distances);
    this.#relayable = relayIpChecker(senderIp);
  }

  /** Adds the valid records of one NODES message. */
  add(records: readonly Uint8Array[], reject: (why: RecordRejection) => void): void {
    for (const raw of records) {
      let node: Node;
      try {
        node = Node.fromEnr(Enr.decode(raw));
      } catch {
        reject('bad-nodes-record');
        continue;
      }
      const key = bytesToHex(node.id);
      if (
        node.ip === undefined ||
        node.udp === undefined ||
        node.udp === 0 ||
        this.#relayable(node.ip) !== undefined ||
        this.#seen.has(key)
      ) {
        reject('bad-nodes-record');
        continue;
      }
      if (!this.#distances.has(logDistance(node.id, this.#targetId))) {
        reject('wrong-distance');
        continue;
      }
      this.#seen.add(key);
      this.nodes.push(node);
    }
  }
}
