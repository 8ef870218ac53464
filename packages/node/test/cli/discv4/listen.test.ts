import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Enr, loadNodeKey, Node, nodeIdToHex } from '@ethp2p/enode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { startNode } from '../helpers/discovery.ts';
import { run, testIo } from '../helpers/run.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ethp2p-listen-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts `discv4 listen` and waits for its two lines. */
async function listen(args: readonly string[]) {
  const controller = new AbortController();
  const io = testIo({}, controller.signal);
  const exit = main(['discv4', 'listen', ...args], io);
  await io.stdout.waitFor((text) => text.split('\n').length >= 3, AbortSignal.timeout(10_000));
  return { io, exit, stop: () => controller.abort(new Error('test done')) };
}

describe('discv4 listen', () => {
  it('prints its enode URL and record, answers pings, and stops on the signal', async () => {
    const { io, exit, stop } = await listen(['--addr', '127.0.0.1:0']);
    const [enode, enr] = io.stdout.lines;
    const node = Node.parse(enode ?? '');
    const record = Enr.decodeText(enr ?? '');
    expect(node.ip).toBe('127.0.0.1');
    expect(node.udp).toBeGreaterThan(0);
    expect(nodeIdToHex(record.nodeId)).toBe(nodeIdToHex(node.id));
    expect(record.udp).toBe(node.udp);

    const peer = await startNode();
    try {
      const { seq } = await peer.ping(node, { signal: AbortSignal.timeout(5_000) });
      expect(seq).toBe(record.seq);
    } finally {
      await peer.stop();
    }
    expect(io.stderr.text).toBe('');
    stop();
    expect(await exit).toBe(0);
    expect(io.stdout.lines).toHaveLength(2);
    expect(io.stderr.text).toBe('stopped\n');
  });

  it('uses --nodekey and keeps its database in --nodedb', async () => {
    const keyFile = join(dir, 'nodekey');
    expect((await run(['key', 'generate', keyFile])).code).toBe(0);
    const nodedb = join(dir, 'nodes');
    const { io, exit, stop } = await listen([
      '--addr',
      '127.0.0.1:0',
      '--nodekey',
      keyFile,
      '--nodedb',
      nodedb,
    ]);
    const id = nodeIdToHex(Node.parse(io.stdout.lines[0] ?? '').id);
    expect((await run(['key', 'to-id', keyFile])).out).toEqual([id]);
    expect(await loadNodeKey(keyFile)).toHaveLength(32);
    stop();
    expect(await exit).toBe(0);
    expect((await stat(nodedb)).isDirectory()).toBe(true);
  });

  it('fails with one line when the address is taken', async () => {
    const other = await startNode();
    try {
      const { code, stderr } = await run([
        'discv4',
        'listen',
        '--addr',
        `127.0.0.1:${other.self().udp}`,
      ]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^ethp2p: bind 127\.0\.0\.1:\d+: .*EADDRINUSE.*\n$/);
      expect(stderr.split('\n')).toHaveLength(2);
    } finally {
      await other.stop();
    }
  });
});
