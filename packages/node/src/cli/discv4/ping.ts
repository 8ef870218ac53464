/**
 * `ethp2p discv4 ping <node>` (and `discv5 ping`): ping a node and print the round trip (geth
 * `discv4 ping`, `discv5 ping`).
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { CommandSpec } from '../command.ts';
import { failure } from '../errors.ts';
import { DISCV4, type DiscoveryVersion, nodeQuerySpec, startNodeQuery } from './common.ts';

/** `<group> ping` of one discovery version. */
export function pingCommand(v: DiscoveryVersion): CommandSpec {
  return {
    path: [v.group, 'ping'],
    summary: 'Ping a node and print the round-trip time',
    ...nodeQuerySpec(v),
    examples: [
      `ethp2p ${v.group} ping ${v.exampleNode}`,
      `ethp2p ${v.group} ping enr:-IS4Q... --addr 127.0.0.1:0`,
    ],
    async run(ctx) {
      const { node, disc, close } = await startNodeQuery(ctx, v);
      try {
        const start = performance.now();
        let seq: bigint | undefined;
        try {
          ({ seq } = await disc.ping(node, { signal: ctx.signal }));
        } catch (err) {
          if (v.isTimeout(err)) {
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
}

/** `discv4 ping`. */
export const PING_COMMAND: CommandSpec = pingCommand(DISCV4);
