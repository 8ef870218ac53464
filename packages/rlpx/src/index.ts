/**
 * @ethp2p/rlpx: the RLPx transport: the ECIES handshake (EIP-8) and framed, MAC'd,
 * snappy-compressed messages over TCP.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md
 * @module
 */
export {};
