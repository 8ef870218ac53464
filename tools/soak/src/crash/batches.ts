/**
 * The batches the crash loop writes into a node database: batch `b` is {@link NODES_PER_BATCH}
 * signed node records with seq `b + 1` and a pong each (at the time of writing), all derived from `b`, so the parent can
 * tell which batches a killed writer left behind.
 * @module
 */
import { isValidPrivateKey, keccak256 } from '@ethp2p/crypto';
import { Enr, Node, type NodeDatabase } from '@ethp2p/enode';

/** Node records per batch. */
export const NODES_PER_BATCH = 4;

/** The private key of node `j` of batch `b`. */
function nodeKey(b: number, j: number): Uint8Array {
  for (let salt = 0; ; salt++) {
    const key = keccak256(new TextEncoder().encode(`ethp2p soak crash ${b} ${j} ${salt}`));
    if (isValidPrivateKey(key)) return key;
  }
}

/** The nodes of batch `b`: records at 10.x.y.z with seq `b + 1`. */
export function batchNodes(b: number): Node[] {
  return Array.from({ length: NODES_PER_BATCH }, (_, j) => {
    const i = b * NODES_PER_BATCH + j;
    const ip = `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`;
    const record = Enr.sign(
      { seq: BigInt(b + 1), entries: { ip, tcp: 30303, udp: 30303 } },
      nodeKey(b, j),
    );
    return Node.fromEnr(record);
  });
}

/**
 * Writes batch `b`: each node's record and a pong for it. True when every write went to the
 * store (the database counts a failed write instead of throwing).
 */
export async function writeBatch(db: NodeDatabase, b: number): Promise<boolean> {
  const failures = db.writeFailures;
  const now = Date.now();
  await Promise.all(
    batchNodes(b).map(async (node) => {
      await db.updateNode(node);
      await db.updateLastPongReceived(node.id, node.ip ?? '10.0.0.0', now);
    }),
  );
  return db.writeFailures === failures;
}

/** How much of batch `b` the store holds: `'all'`, `'none'` or `'part'`. */
export async function batchPresence(db: NodeDatabase, b: number): Promise<'all' | 'none' | 'part'> {
  let found = 0;
  const nodes = batchNodes(b);
  for (const node of nodes) {
    const stored = await db.node(node.id);
    const pong = await db.lastPongReceived(node.id, node.ip ?? '10.0.0.0');
    if (stored !== undefined && stored.seq === node.seq && pong > 0) found++;
  }
  return found === nodes.length ? 'all' : found === 0 ? 'none' : 'part';
}
