/**
 * `ethp2p rlpx ping <node>`: the RLPx handshake and the Hello exchange with a node; prints the
 * remote Hello, or the reason of the Disconnect it sent instead (geth `devp2p rlpx ping`).
 * @module
 */
import { performance } from 'node:perf_hooks';
import { bytesToHex, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { loadNodeKey, type Node } from '@ethp2p/enode';
import { connect } from '@ethp2p/rlpx';
import { DEFAULT_NAME, discReasonText, PeerError } from '@ethp2p/server';
import { BASE_PROTOCOL_VERSION, exchangeHello, type Hello } from '@ethp2p/server/wire';
import type { CommandContext, CommandSpec, GroupSpec } from '../command.ts';
import { NODEKEY_OPTION, timeoutOption, withTimeout } from '../discv4/common.ts';
import { failure } from '../errors.ts';
import { parseNodeArg, resolveHostname } from '../node-arg.ts';

/** `rlpx ping`. */
export const RLPX_PING_COMMAND: CommandSpec = {
  path: ['rlpx', 'ping'],
  summary: 'Handshake with a node and print its Hello, or its Disconnect reason',
  description:
    'Runs the RLPx handshake and the Hello exchange over TCP, then closes the connection. ' +
    'Exits with 1 if the node refuses (a Disconnect instead of Hello) or does not answer.',
  args: [
    { name: 'node', required: true, description: 'enode:// URL or enr: record with a TCP port' },
  ],
  options: {
    nodekey: NODEKEY_OPTION,
    timeout: timeoutOption('10s', 'give up after this long (handshake and Hello)'),
  },
  examples: ['ethp2p rlpx ping enode://<128 hex>@127.0.0.1:30303'],
  async run(ctx) {
    const node = await resolveHostname(parseNodeArg(ctx.args[0] ?? ''));
    if (node.ip === undefined || node.tcp === undefined || node.tcp === 0) {
      throw failure(unreachableMessage(node));
    }
    const timeoutMs = ctx.options.duration('timeout') ?? 10_000;
    const keyFile = ctx.options.string('nodekey');
    const privateKey = keyFile === undefined ? generatePrivateKey() : await loadNodeKey(keyFile);
    const ip = node.ip;
    const tcp = node.tcp;
    await withTimeout(ctx, timeoutMs, 'no hello from the node', async (signal) => {
      const start = performance.now();
      const conn = await connect(ip, tcp, node.publicKey, { privateKey, signal });
      try {
        const local: Hello = {
          version: BASE_PROTOCOL_VERSION,
          name: DEFAULT_NAME,
          caps: [],
          listenPort: 0,
          id: publicKey(privateKey),
        };
        let remote: Hello;
        try {
          remote = await exchangeHello(conn, local, { signal, timeoutMs });
        } catch (err) {
          if (err instanceof PeerError && err.remoteRequested) {
            throw failure(disconnectLine(err.reason), { cause: err });
          }
          throw err;
        }
        printHello(ctx, remote, performance.now() - start);
      } finally {
        conn.close();
      }
    });
  },
};

/** Why `node` cannot be dialed over TCP: it lacks an IP address or a TCP port. */
function unreachableMessage(node: Node): string {
  const source = node.record === undefined ? 'enode URL' : 'record';
  const missing = node.ip === undefined ? 'no IP address' : 'no TCP port';
  const discoveryOnly =
    node.ip !== undefined && node.udp !== undefined ? ' (a discovery-only node)' : '';
  return `the node's ${source} has ${missing}${discoveryOnly}: nothing to connect to`;
}

/** `disconnected: too many peers (0x04)`. */
export function disconnectLine(reason: number): string {
  return `disconnected: ${discReasonText(reason)} (0x${reason.toString(16).padStart(2, '0')})`;
}

function printHello(ctx: CommandContext, hello: Hello, rttMs: number): void {
  const caps = hello.caps.map((c) => `${c.name}/${c.version}`).join(', ');
  ctx.out(`name         ${hello.name}`);
  ctx.out(`p2p version  ${hello.version}`);
  ctx.out(`caps         ${caps === '' ? '(none)' : caps}`);
  ctx.out(`listen port  ${hello.listenPort}`);
  ctx.out(`id           ${bytesToHex(hello.id)}`);
  ctx.out(`rtt          ${rttMs.toFixed(2)} ms`);
}

/** The `rlpx` group. */
export const RLPX_GROUP: GroupSpec = {
  path: ['rlpx'],
  summary: 'RLPx transport tools',
  examples: ['ethp2p rlpx ping enode://<128 hex>@127.0.0.1:30303'],
};

/** Every `rlpx` command. */
export const RLPX_COMMANDS: readonly CommandSpec[] = [RLPX_PING_COMMAND];
