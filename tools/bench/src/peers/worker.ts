/**
 * A peer process of `pnpm bench peers`: runs a group of {@link BenchPeers} against the node the
 * host measures, so their memory and CPU are not the node's. Answers every command of its
 * host with its counts; after `stop` it stops the peers and leaves the IPC channel.
 * @module
 */
import { setMaxListeners } from 'node:events';
import { Node } from '@ethp2p/enode';
import { BenchPeers } from './bench-peers.ts';
import type { PeerWorkerCommand, PeerWorkerData } from './protocol.ts';

const send = process.send?.bind(process);
if (send === undefined) throw new TypeError('peer worker: expected to run as a forked child');
const data = JSON.parse(process.argv[2] ?? '{}') as PeerWorkerData;
const peers = new BenchPeers({
  target: Node.parse(data.enode),
  ethVersion: data.ethVersion,
  count: data.count,
});
let ticker: NodeJS.Timeout | undefined;
const starting = new AbortController();
// Every peer that is starting waits on it.
setMaxListeners(0, starting.signal);

process.on('message', (command: PeerWorkerCommand) => {
  switch (command.cmd) {
    case 'counts':
      send(peers.counts);
      return;
    case 'gossip':
      clearInterval(ticker);
      ticker = setInterval(() => peers.announce(command.peers, command.perPeer), command.everyMs);
      send(peers.counts);
      return;
    case 'quiet':
      clearInterval(ticker);
      send(peers.counts);
      return;
    case 'stop':
      clearInterval(ticker);
      starting.abort();
      void peers.stop().then(() => {
        send(peers.counts);
        process.disconnect();
      });
  }
});
await peers.start(starting.signal);
