// Build and sign a DNS node list (EIP-1459) of three nodes, serve its TXT records from memory
// through the resolver seam, download and verify it, and draw nodes from it as a dialer would.
import { generatePrivateKey } from '@ethp2p/crypto';
import { DnsClient, Tree, type TxtResolver } from '@ethp2p/dnsdisc';
import { Enr, Node } from '@ethp2p/enode';

const nodes = [30303, 30304, 30305].map((port) =>
  Node.fromEnr(
    Enr.sign({ seq: 1n, entries: { ip: '127.0.0.1', tcp: port, udp: port } }, generatePrivateKey()),
  ),
);
const { tree, url } = Tree.make(1, nodes).sign(generatePrivateKey(), 'nodes.example.org');
console.log('url:', url);
const records = tree.toTxt('nodes.example.org');
for (const [name, text] of records) console.log(`${name} TXT ${text.slice(0, 60)}...`);

// A real client would use the system's DNS or `servers: ['ip:port']`; here a map answers.
const resolver: TxtResolver = {
  resolveTxt: async (name) => {
    const text = records.get(name);
    if (text === undefined) throw new Error(`${name}: not found`);
    return [text];
  },
};
// No pacing for a map (a DNS server gets the default 3 lookups a second).
const client = new DnsClient({ resolver, rateLimit: Number.POSITIVE_INFINITY });
const synced = await client.syncTree(url);
console.log('synced seq:', synced.seq, 'nodes:', synced.nodes().length);

const source = client.nodeSource([url]);
const seen = new Set<string>();
for await (const node of source.lookup()) seen.add(node.enodeUrl());
console.log(
  'lookup found every node:',
  nodes.every((n) => seen.has(n.enodeUrl())),
);
