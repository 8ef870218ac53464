// Start a standalone discovery v4 node on 127.0.0.1 (port 0: the OS picks one), print its
// enode URL and record, ping it from a second node, and stop both.
import { generatePrivateKey } from '@ethp2p/crypto';
import { DiscoveryV4 } from '@ethp2p/discovery';

const node = await DiscoveryV4.listen({ privateKey: generatePrivateKey() });
const self = node.self();
console.log('enode:', self.enodeUrl());
console.log('record:', self.record?.encodeText());

// A second node that knows the first as its bootnode: it bonds, and each ends up in the other's table.
const peer = await DiscoveryV4.listen({ privateKey: generatePrivateKey(), bootnodes: [self] });
const { seq, rttMs } = await peer.ping(self);
console.log('pong seq matches the record:', seq === self.seq, `(rtt ${rttMs} ms)`);
await peer.refresh();
console.log(
  'peer knows the node:',
  peer.nodes().some((n) => n.enodeUrl() === self.enodeUrl()),
);

await peer.stop();
await node.stop();
console.log('stopped');
