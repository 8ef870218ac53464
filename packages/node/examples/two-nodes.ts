// Two sample full nodes on loopback, at the Sepolia genesis, with discovery off: the second keeps
// the first as a static peer, they agree on eth Status, and each prints its status line.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FullNode, formatStatusLine, networkChain } from '@ethp2p/node';

const chain = networkChain('sepolia');
const loopback = { chain, listenIp: '127.0.0.1', port: 0, discovery: false } as const;
const datadirs = [
  await mkdtemp(join(tmpdir(), 'ethp2p-a-')),
  await mkdtemp(join(tmpdir(), 'ethp2p-b-')),
];

const a = new FullNode({ ...loopback, datadir: datadirs[0] as string });
await a.start();
const b = new FullNode({ ...loopback, datadir: datadirs[1] as string, staticNodes: [a.self()] });

// A peer lands in a node's PeerSet once both Status messages are accepted.
const registered = (node: FullNode) =>
  new Promise<void>((resolve) => node.peerSet.events.once('peer:registered', () => resolve()));
const agreed = Promise.all([registered(a), registered(b)]);
await b.start();
await agreed;

console.log('a:', a.self().enodeUrl());
console.log('a status:', formatStatusLine(a.status()));
console.log('b status:', formatStatusLine(b.status()));
const [peer] = b.peerSet;
console.log('b speaks', `eth/${peer?.version}`, 'with a');

await b.stop(); // a sees Disconnect(ClientQuitting)
await a.stop();
for (const dir of datadirs) await rm(dir, { recursive: true, force: true });
console.log('both stopped');
