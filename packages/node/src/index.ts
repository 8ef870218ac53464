/**
 * @ethp2p/node: the sample full devp2p node (discovery v4, the p2p server and eth/68 + eth/69)
 * and the `ethp2p` command line.
 * @module
 */
export {};
