/**
 * Well-known hashes and genesis defaults of the Ethereum block format.
 * @see https://github.com/ethereum/go-ethereum/blob/master/core/types/hashes.go
 * @see https://github.com/ethereum/go-ethereum/blob/master/params/protocol_params.go
 * @module
 */
import { hexToBytes } from '@ethp2p/crypto';

/** The root of an empty Merkle-Patricia trie: keccak256(rlp("")) (geth `types.EmptyRootHash`). */
export const EMPTY_ROOT_HASH: Uint8Array = hexToBytes(
  '56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421',
);

/** The ommers hash of a block without ommers: keccak256(rlp([])) (geth `types.EmptyUncleHash`). */
export const EMPTY_UNCLE_HASH: Uint8Array = hexToBytes(
  '1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347',
);

/** The code hash of an account without code: keccak256("") (geth `types.EmptyCodeHash`). */
export const EMPTY_CODE_HASH: Uint8Array = hexToBytes(
  'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
);

/** The requests hash of a block without requests: sha256("") (EIP-7685, geth `EmptyRequestsHash`). */
export const EMPTY_REQUESTS_HASH: Uint8Array = hexToBytes(
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
);

/** The block access list hash of an empty list: keccak256(rlp([])) (EIP-7928). */
export const EMPTY_BLOCK_ACCESS_LIST_HASH: Uint8Array = EMPTY_UNCLE_HASH;

/** Gas limit of a genesis block that does not set one (geth `params.GenesisGasLimit`). */
export const GENESIS_GAS_LIMIT = 4_712_388n;

/** Difficulty of an ethash genesis block that sets none (geth `params.GenesisDifficulty`). */
export const GENESIS_DIFFICULTY = 131_072n;

/** Base fee of a London genesis block that sets none, in wei (geth `params.InitialBaseFee`). */
export const INITIAL_BASE_FEE_WEI = 1_000_000_000n;
