// Keep this node's own record: set entries, let peers' statements move the advertised endpoint,
// and see the seq go up only when the record really changes.
import { generatePrivateKey } from '@ethp2p/crypto';
import { LocalNode, NodeDatabase } from '@ethp2p/enode';

const db = await NodeDatabase.open(); // in memory; pass { path } to persist the seq
const local = await LocalNode.create({ privateKey: generatePrivateKey(), db });
local.setFallbackIp('127.0.0.1');
local.setFallbackUdpPort(30303);
local.set('tcp', 30303);
console.log('first record:', local.node().seq, local.record().encodeText());

// Ten peers report the same external endpoint in their Pongs: the record follows.
for (let i = 1; i <= 10; i++)
  local.udpEndpointStatement(`192.0.2.${i}`, { ip: '203.0.113.7', port: 30303 });
const moved = local.node();
console.log('after the statements:', moved.seq, moved.ip, moved.udp);

local.set('tcp', 30303); // the same value: no new signature
console.log('unchanged seq:', local.node().seq === moved.seq);

await local.close();
await db.close();
