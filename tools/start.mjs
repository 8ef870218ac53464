// `pnpm start`: the sample full node arrives with @ethp2p/node. Until then this shows what the
// built packages already do: it picks the crypto backend and makes an ephemeral node identity.
import { activeBackend, generatePrivateKey } from '../packages/crypto/dist/index.js';
import { LocalNode, NodeDatabase } from '../packages/enode/dist/index.js';

const db = await NodeDatabase.open();
const local = await LocalNode.create({ privateKey: generatePrivateKey(), db });
local.setFallbackIp('127.0.0.1');
local.setFallbackUdpPort(30303);
local.set('tcp', 30303);
const node = local.node();

console.log('ethp2p: the sample full node (discovery, RLPx, eth) arrives with @ethp2p/node.');
console.log(`crypto backend: ${activeBackend().name}`);
console.log('an ephemeral identity, not persisted:');
console.log(`  ${node.enodeUrl()}`);
console.log(`  ${node.record.encodeText()}`);
await local.close();
await db.close();
