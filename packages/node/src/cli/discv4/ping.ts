/**
 * `ethp2p discv4 ping <node>`: ping a node and print the round trip (geth `discv4 ping`).
 * @module
 */
import { performance } from 'node:perf_hooks';
import { DiscoveryError } from '@ethp2p/discovery';
import type { CommandSpec } from '../command.ts';
import { failure } from '../errors.ts';
import { parseNodeArg } from '../node-arg.ts';
import { addrOption, NODEKEY_OPTION, reachableNode, startDiscovery } from './common.ts';

/** `discv4 ping`. */
export const PING_COMMAND: CommandSpec = {
  path: ['discv4', 'ping'],
  summary: 'Ping a node and print the round-trip time',
  args: [{ name: 'node', required: true, description: 'enode:// URL or enr: record' }],
  options: { addr: addrOption('0.0.0.0:0'), nodekey: NODEKEY_OPTION },
  examples: [
    'ethp2p discv4 ping enode://<128 hex>@127.0.0.1:30303',
    'ethp2p discv4 ping enr:-IS4Q... --addr 127.0.0.1:0',
  ],
  async run(ctx) {
    const node = await reachableNode(parseNodeArg(ctx.args[0] ?? ''));
    const { disc, close } = await startDiscovery(ctx);
    try {
      const start = performance.now();
      let seq: bigint | undefined;
      try {
        ({ seq } = await disc.ping(node, { signal: ctx.signal }));
      } catch (err) {
        if (err instanceof DiscoveryError && err.code === 'TIMEOUT') {
          throw failure('node did not answer the ping', { cause: err });
        }
        throw err;
      }
      const rtt = (performance.now() - start).toFixed(2);
      ctx.out(
        `node answered the ping: rtt ${rtt} ms${seq === undefined ? '' : `, enr seq ${seq}`}`,
      );
    } finally {
      await close();
    }
  },
};
