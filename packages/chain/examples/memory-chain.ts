// A chain from a genesis.json: its genesis block (state root computed from `alloc`), eight empty
// blocks imported from a chain.rlp, and a relay pool that keeps well-formed transactions.
import { type Input, RLP } from '@ethereumjs/rlp';
import { decodeHeader, MemoryChain, MemoryTxPool, transactionInfo } from '@ethp2p/chain';
import { bytesToHex, concatBytes } from '@ethp2p/crypto';
import { type ChainHeader, forkId, parseGenesisJson } from '@ethp2p/eth';
import { ChainError } from '@ethp2p/eth/chain';

const genesis = parseGenesisJson(`{
  "config": {
    "chainId": 1337, "homesteadBlock": 0, "eip150Block": 0, "eip155Block": 0, "eip158Block": 0,
    "byzantiumBlock": 0, "constantinopleBlock": 0, "petersburgBlock": 0, "istanbulBlock": 0,
    "berlinBlock": 0, "londonBlock": 0, "terminalTotalDifficulty": 0,
    "shanghaiTime": 0, "cancunTime": 0, "pragueTime": 0
  },
  "timestamp": "0x68000000", "gasLimit": "0x1c9c380", "difficulty": "0x0",
  "alloc": { "0x0000000000000000000000000000000000000aaa": { "balance": "0x10" } }
}`);
const chain = await MemoryChain.fromGenesis(genesis);
console.log('genesis:', bytesToHex(chain.genesis().hash));

// An empty block on top of `parent` (the parent's header with parent hash, number and time moved on).
function childBlock(parent: ChainHeader): Uint8Array {
  const fields = RLP.decode(parent.rlp) as Input[];
  fields[0] = parent.hash;
  fields[8] = parent.number + 1n;
  fields[11] = parent.time + 12n;
  return RLP.encode([fields, [], [], []]);
}
const blocks: Uint8Array[] = [];
let tip = chain.head();
for (let i = 0; i < 8; i++) {
  blocks.push(childBlock(tip));
  tip = decodeHeader(RLP.encode((RLP.decode(blocks[i] as Uint8Array) as Input[])[0] as Input));
}
console.log(
  'imported:',
  chain.importRlp(concatBytes(...blocks)),
  'blocks; head',
  chain.head().number,
);
console.log('fork id:', bytesToHex(forkId(chain.config, chain.head()).hash));

// A block that does not follow the head is refused, and nothing of it is kept.
try {
  chain.importRlp(childBlock(chain.genesis()));
} catch (err) {
  console.log('refused:', err instanceof ChainError && err.code);
}

const pool = new MemoryTxPool();
const tx = RLP.encode([
  0,
  1_000_000_000,
  21_000,
  new Uint8Array(20),
  1,
  new Uint8Array(0),
  27,
  1,
  1,
]);
const [added, junk] = pool.add([tx, Uint8Array.of(0x01)]);
console.log('pooled:', added, 'junk refused:', !junk, 'type', transactionInfo(tx).type);
