// Two nodes on loopback speaking eth/72: alice serves a small chain, bob starts from its genesis.
// They exchange Status and register each other, bob fetches alice's headers and bodies and
// imports them, and a transaction in bob's pool is relayed to alice's.
import { type Input, RLP } from '@ethereumjs/rlp';
import { MemoryChain, MemoryTxPool } from '@ethp2p/chain';
import { bytesToHex, concatBytes, generatePrivateKey, keccak256 } from '@ethp2p/crypto';
import {
  broadcastTransactions,
  type ChainHeader,
  createEthProtocols,
  type EthPeer,
  forkId,
  PeerSet,
  parseGenesisJson,
} from '@ethp2p/eth';
import { Server } from '@ethp2p/server';

// Proof of stake from genesis, every fork up to Prague active at block 0, Osaka scheduled.
const genesis = parseGenesisJson(`{
  "config": {
    "chainId": 1337, "homesteadBlock": 0, "eip150Block": 0, "eip155Block": 0, "eip158Block": 0,
    "byzantiumBlock": 0, "constantinopleBlock": 0, "petersburgBlock": 0, "istanbulBlock": 0,
    "berlinBlock": 0, "londonBlock": 0, "terminalTotalDifficulty": 0,
    "shanghaiTime": 0, "cancunTime": 0, "pragueTime": 0, "osakaTime": 1900000000
  },
  "timestamp": "0x68000000", "gasLimit": "0x1c9c380", "difficulty": "0x0", "alloc": {}
}`);

// An empty block on top of `parent`: its header is the parent's with the parent hash, number
// and time moved on; its body has no transactions, ommers or withdrawals.
function childBlock(parent: ChainHeader): Uint8Array {
  const fields = RLP.decode(parent.rlp) as Input[];
  fields[0] = parent.hash;
  fields[8] = parent.number + 1n;
  fields[11] = parent.time + 12n;
  return RLP.encode([fields, [], [], []]);
}

// A node serving `chain` over eth/72 to eth/68, listening on 127.0.0.1 (port chosen by the OS).
async function startNode(name: string, chain: MemoryChain) {
  const peerSet = new PeerSet();
  const txPool = new MemoryTxPool();
  const protocols = createEthProtocols({ backend: { chain, txPool }, peerSet });
  const server = new Server({ privateKey: generatePrivateKey(), name, protocols });
  await server.start();
  return { chain, peerSet, txPool, server };
}

const aliceChain = await MemoryChain.fromGenesis(genesis);
for (let i = 0; i < 8; i++) aliceChain.importRlp(childBlock(aliceChain.head()));
const alice = await startNode('alice', aliceChain);
const bob = await startNode('bob', await MemoryChain.fromGenesis(genesis));

// A peer enters a PeerSet once both Status messages are accepted.
const registered = (set: PeerSet) =>
  new Promise<EthPeer>((resolve) =>
    set.events.once('peer:registered', ({ peer }) => resolve(peer)),
  );
const both = Promise.all([registered(alice.peerSet), registered(bob.peerSet)]);
bob.server.addPeer(alice.server.self());
const [, aliceAtBob] = await both;
console.log('negotiated:', `eth/${aliceAtBob.version}`);
console.log('alice serves blocks up to', aliceAtBob.blockRange?.latest);

// Bob's sync: headers from block 1, their bodies, then one import of the assembled blocks.
const headers = await aliceAtBob.requestHeadersByNumber(1n, 64);
const bodies = await aliceAtBob.requestBodies(headers.map((h) => keccak256(h)));
const blocks = headers.map((header, i) =>
  RLP.encode([RLP.decode(header), ...(RLP.decode(bodies[i] as Uint8Array) as Input[])]),
);
console.log('bob imported', bob.chain.importRlp(concatBytes(...blocks)), 'blocks');
console.log('same head:', bytesToHex(bob.chain.head().hash) === bytesToHex(aliceChain.head().hash));
const id = forkId(bob.chain.config, bob.chain.head());
console.log('fork id:', `0x${bytesToHex(id.hash)}`, 'next:', id.next);

// A legacy transaction (the pool checks its envelope, not its signature) relayed bob → alice.
const to = new Uint8Array(20);
const tx = RLP.encode([0, 1_000_000_000, 21_000, to, 1, new Uint8Array(0), 27, 1, 1]);
const relayed = new Promise((resolve) => alice.txPool.events.once('txs:added', resolve));
bob.txPool.add([tx]);
broadcastTransactions(bob.peerSet, bob.txPool, [keccak256(tx)]);
await relayed;
console.log('alice pooled it:', alice.txPool.has(keccak256(tx)));

await bob.server.stop(); // alice's peer leaves her PeerSet when its run ends
await alice.server.stop();
console.log('eth peers after stop:', alice.peerSet.len + bob.peerSet.len);
