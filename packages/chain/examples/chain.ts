// A chain that executes what it imports: the genesis block of a genesis.json (state root from
// `alloc`), empty blocks executed and checked against their headers, a tampered one refused,
// and a relay pool that keeps well-formed transactions.
import { type Input, RLP } from '@ethereumjs/rlp';
import { MemoryTxPool, PersistentChain, transactionInfo } from '@ethp2p/chain';
import { bytesToHex } from '@ethp2p/crypto';
import { forkId } from '@ethp2p/eth';
import { ChainError } from '@ethp2p/eth/chain';

const chain = await PersistentChain.open({
  // No `path`: an in-memory store (give a directory to keep the chain across restarts).
  genesisJson: {
    // Every fork up to Shanghai active from the start.
    config: {
      chainId: 1337,
      terminalTotalDifficulty: 0,
      shanghaiTime: 0,
      ...Object.fromEntries(
        ['homestead', 'eip150', 'eip155', 'eip158', 'byzantium', 'constantinople', 'petersburg']
          .concat(['istanbul', 'berlin', 'london'])
          .map((fork) => [`${fork}Block`, 0]),
      ),
    },
    timestamp: '0x68000000',
    gasLimit: '0x1c9c380',
    difficulty: '0x0',
    alloc: { '0x0000000000000000000000000000000000000aaa': { balance: '0x10' } },
  },
});
console.log('genesis:', bytesToHex(chain.genesis().hash));

// The next empty block: no gas used, so the state stays and the base fee drops by 1/8.
function nextEmptyBlock(stateRoot?: Uint8Array): Uint8Array {
  const head = chain.head();
  const parent = RLP.decode(head.rlp) as Uint8Array[];
  const baseFee = BigInt(`0x${bytesToHex(parent[15] as Uint8Array)}`);
  const changed = new Map<number, Input>([
    [0, head.hash], // parent hash
    [3, stateRoot ?? (parent[3] as Uint8Array)],
    [8, head.number + 1n],
    [11, head.time + 12n],
    [15, baseFee - baseFee / 8n],
  ]);
  const header = parent.map((field, i) => changed.get(i) ?? field);
  return RLP.encode([header, [], [], []]);
}

for (let i = 0; i < 4; i++) await chain.importBlocks([nextEmptyBlock()]);
console.log(
  'head:',
  chain.head().number,
  'receipts:',
  bytesToHex(chain.receiptsByHash(chain.head().hash) ?? new Uint8Array()),
);
console.log('fork id:', bytesToHex(forkId(chain.config, chain.head()).hash));

// A block whose header claims another state root executes, but does not match: refused.
try {
  await chain.importBlocks([nextEmptyBlock(new Uint8Array(32).fill(7))]);
} catch (err) {
  if (err instanceof ChainError) console.log('refused:', err.code, err.details?.field);
}
console.log('head still:', chain.head().number);
await chain.close();

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
