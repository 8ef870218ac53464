/**
 * @ethp2p/discovery/wire: the discv4 packet codec (sign, encode, decode, verify), for tools and
 * interop.
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md
 * @module
 */
export {};
