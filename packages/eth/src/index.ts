/**
 * @ethp2p/eth: the eth wire protocol (eth/68 and eth/69) on top of @ethp2p/server: Status and
 * fork ID (EIP-2124), request tracking, EthPeer and PeerSet.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md
 * @module
 */
export {};
