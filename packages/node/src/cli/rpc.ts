/**
 * `ethp2p rpc <url> <method> [params...]`: one JSON-RPC call to a node's HTTP or WebSocket
 * endpoint, printing the result as JSON (geth `attach --exec`, without a console).
 * @module
 */
import { rpcRequest } from '../rpc/client.ts';
import type { CommandSpec } from './command.ts';
import { timeoutOption, withTimeout } from './discv4/common.ts';
import { failure, usageError } from './errors.ts';

/** A param: its JSON value, or the text itself when it is not JSON (an enode URL). */
function paramOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `ethp2p rpc`. */
export const RPC_COMMAND: CommandSpec = {
  path: ['rpc'],
  summary: "Call a node's JSON-RPC API and print the result as JSON",
  description:
    'Each param is a JSON value ("1", "true", \'["a"]\'); one that is not JSON is sent as a ' +
    'string, so enode URLs need no quotes. On a JSON-RPC error it prints the error object ' +
    '({"code":...,"message":...}) and exits with 1.',
  args: [
    { name: 'url', required: true, description: 'http://, https://, ws:// or wss:// endpoint' },
    { name: 'method', required: true, description: 'method name, e.g. admin_peers' },
    { name: 'params', required: false, rest: true, description: 'the params, in order' },
  ],
  options: { timeout: timeoutOption('10s', 'give up after this long') },
  examples: [
    'ethp2p rpc http://127.0.0.1:8545 admin_nodeInfo',
    'ethp2p rpc ws://127.0.0.1:8546 admin_addPeer enode://<128 hex>@10.0.0.2:30303',
    'ethp2p rpc http://127.0.0.1:8545 net_peerCount',
  ],
  async run(ctx) {
    const [url = '', method = '', ...rest] = ctx.args;
    if (!URL.canParse(url) || !/^(https?|wss?):$/.test(new URL(url).protocol)) {
      throw usageError(`<url>: expected an http(s):// or ws(s):// URL, got '${url}'`);
    }
    const timeoutMs = ctx.options.duration('timeout') ?? 10_000;
    const response = await withTimeout(ctx, timeoutMs, `no answer from ${url}`, (signal) =>
      rpcRequest(url, method, rest.map(paramOf), { signal }).catch((err: unknown) => {
        if (signal.aborted) throw err;
        throw failure(`${url}: ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        });
      }),
    );
    if ('error' in response) throw failure(JSON.stringify(response.error));
    ctx.out(JSON.stringify(response.result, null, 2));
  },
};
