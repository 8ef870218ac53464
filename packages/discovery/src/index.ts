/**
 * @ethp2p/discovery: Node Discovery v4 over UDP, with a Kademlia table, lookups and ENR requests
 * (EIP-868).
 * @see https://github.com/ethereum/devp2p/blob/master/discv4.md
 * @module
 */
export {};
