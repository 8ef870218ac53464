/**
 * The attack worker (`pnpm bench attack`): runs a group of attacking peers on its own event loop
 * against the target in the main thread. Posts a line once they started and another once they
 * stopped (after the 'stop' message).
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Node } from '@ethp2p/enode';
import { networkChain } from '@ethp2p/node';
import { Attackers, type AttackWorkerData, attackOf, describeAttackers } from './attackers.ts';

const data = workerData as AttackWorkerData;
const port = parentPort;
if (port === null) throw new TypeError('attack worker: expected to run in a worker thread');
const attackers = new Attackers({
  target: Node.parse(data.enode),
  chain: networkChain('sepolia'),
  attack: attackOf(data.plan),
  count: data.count,
});
await attackers.start();
port.postMessage(describeAttackers(attackers));
port.once('message', () => {
  void attackers.stop().then(() => port.postMessage(describeAttackers(attackers)));
});
