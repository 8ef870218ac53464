/**
 * The attack process (`pnpm bench attack`): runs a group of attacking peers in a child process
 * against the target in the bench's process, so the attackers' memory (queued frames the target
 * does not read yet) is not counted in the target's RSS. Sends a line once they started and
 * another once they stopped (after the 'stop' message), then leaves the IPC channel.
 * @module
 */
import { Node } from '@ethp2p/enode';
import { networkChain } from '@ethp2p/node';
import { Attackers, type AttackWorkerData, attackOf, describeAttackers } from './attackers.ts';

const send = process.send?.bind(process);
if (send === undefined) throw new TypeError('attack process: expected to run as a forked child');
const data = JSON.parse(process.argv[2] ?? '{}') as AttackWorkerData;
const attackers = new Attackers({
  target: Node.parse(data.enode),
  chain: networkChain('sepolia'),
  attack: attackOf(data.plan),
  count: data.count,
});
await attackers.start();
send(describeAttackers(attackers));
process.once('message', () => {
  void attackers.stop().then(() => {
    send(describeAttackers(attackers));
    process.disconnect();
  });
});
