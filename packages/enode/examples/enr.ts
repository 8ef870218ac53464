// Build and sign a node record (ENR), print it as `enr:` text and as an enode URL, decode it back.
import { bytesToHex, generatePrivateKey } from '@ethp2p/crypto';
import { Enr, Node, nodeIdToHex } from '@ethp2p/enode';

const privateKey = generatePrivateKey();
const record = Enr.sign(
  { seq: 1n, entries: { ip: '127.0.0.1', tcp: 30303, udp: 30301 } },
  privateKey,
);
const text = record.encodeText();
console.log('record:', text);
console.log('size:', record.encode().length, 'bytes');

const node = Node.fromEnr(Enr.decodeText(text));
console.log('node id:', nodeIdToHex(node.id));
console.log('enode url:', node.enodeUrl());
console.log('endpoint:', node.ip, 'tcp', node.tcp, 'udp', node.udp);

const fromUrl = Node.fromEnodeUrl(node.enodeUrl());
console.log('same id from the URL:', bytesToHex(fromUrl.id) === bytesToHex(node.id));
