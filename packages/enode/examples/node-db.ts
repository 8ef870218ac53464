// Open an in-memory node database, remember a node and its pong, pick seeds for the table, close.
import { generatePrivateKey } from '@ethp2p/crypto';
import { Enr, Node, NodeDatabase, nodeIdToHex } from '@ethp2p/enode';

const db = await NodeDatabase.open(); // pass { path } to persist (one process per path)
const self = Node.fromEnr(
  Enr.sign({ seq: 1n, entries: { ip: '127.0.0.1' } }, generatePrivateKey()),
);
const peer = Node.fromEnr(
  Enr.sign({ seq: 3n, entries: { ip: '10.0.0.7', udp: 30303, tcp: 30303 } }, generatePrivateKey()),
);

await db.updateNode(peer);
await db.updateLastPongReceived(peer.id, '10.0.0.7', Date.now()); // the bond; starts the expirer
await db.storeLocalSeq(self.id, 1n);

const seeds = await db.querySeeds(30, 5 * 24 * 3600_000, { exclude: self.id });
console.log(
  'seeds:',
  seeds.map((n) => `${nodeIdToHex(n.id).slice(0, 16)}… ${n.ip}`),
);
console.log('last pong:', new Date(await db.lastPongReceived(peer.id, '10.0.0.7')).toISOString());
console.log('local seq:', await db.localSeq(self.id));
await db.close();
