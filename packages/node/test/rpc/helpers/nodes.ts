/**
 * Fixtures of the RPC tests: full nodes on loopback serving JSON-RPC on OS-picked ports, on the
 * node tests' {@link chainFixture}.
 * @module
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { FullNodeOptions } from '../../../src/node/config.ts';
import type { FullNode } from '../../../src/node/full-node.ts';
import { type ChainFixture, loopbackNode } from '../../node/helpers.ts';

export { type ChainFixture, chainFixture } from '../../node/helpers.ts';

/** A TCP port of 127.0.0.1 that was free a moment ago (for servers that must share one). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** 127.0.0.1 with an OS-picked port, for `http` and `ws`. */
export const LOOPBACK_RPC = { host: '127.0.0.1', port: 0 } as const;

/** A loopback node in `<dir>/<name>` on the fixture's chain (not started). */
export function rpcNode(
  fixture: ChainFixture,
  name: string,
  options: Partial<FullNodeOptions> = {},
): FullNode {
  return loopbackNode({ datadir: join(fixture.dir, name), chain: fixture.chain, ...options });
}

/** Starts `node`, runs `work` and stops the node, whatever `work` does. */
export async function withNode<T>(
  node: FullNode,
  work: (node: FullNode) => Promise<T>,
): Promise<T> {
  await node.start();
  try {
    return await work(node);
  } finally {
    await node.stop();
  }
}

/**
 * A node serving HTTP and WebSocket JSON-RPC on loopback, started before the file's tests and
 * stopped after them (register it after its {@link chainFixture}).
 */
export function runningRpcNode(
  fixture: ChainFixture,
  name: string,
  options: Partial<FullNodeOptions> = {},
): { node: FullNode } {
  const holder = {} as { node: FullNode };
  beforeAll(async () => {
    holder.node = rpcNode(fixture, name, { http: LOOPBACK_RPC, ws: LOOPBACK_RPC, ...options });
    await holder.node.start();
  });
  afterAll(async () => {
    await holder.node?.stop();
  });
  return holder;
}
