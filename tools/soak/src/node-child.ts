/**
 * The node process of a soak: a `FullNode` on 127.0.0.1 serving the soak chain, measured on
 * request over IPC (see `node-messages.ts`). Started by `node-process.ts` with `--expose-gc`.
 * @module
 */
import { defaultLogger } from '@ethp2p/base';
import { FullNode } from '@ethp2p/node';
import { soakChain } from './chain.ts';
import { decodeNodeArgs, type FromNode, type ToNode } from './node-messages.ts';
import { takeSample } from './sample.ts';

function send(message: FromNode): void {
  process.send?.(message);
}

async function run(): Promise<void> {
  const args = decodeNodeArgs(process.argv.slice(2));
  const node = new FullNode({
    datadir: args.datadir,
    chain: await soakChain(args.blocks),
    listenIp: '127.0.0.1',
    port: 0,
    nat: 'extip:127.0.0.1',
    noDial: true,
    maxPeers: args.maxPeers,
    statusIntervalMs: 0,
    logger: defaultLogger,
  });
  await node.start();
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (message: ToNode) => {
    if (message.type === 'sample') {
      const counts = { peers: node.status().peers, ethPeers: node.peerSet.len };
      send({ type: 'sample', sample: takeSample(message.elapsedMs, counts, gc) });
    } else {
      void node.stop().then(() => {
        send({ type: 'stopped' });
        process.disconnect();
      });
    }
  });
  // The parent going away (killed, crashed) stops the node too.
  process.on('disconnect', () => void node.stop());
  send({ type: 'ready', enode: node.self().enodeUrl() });
}

await run();
