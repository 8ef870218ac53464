import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey } from '@ethp2p/crypto';
import type { DiscoveryV4 } from '@ethp2p/discovery';
import { Enr, Node, nodeIdToHex } from '@ethp2p/enode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNodeSet, type NodeSet, parseNodeSet } from '../../../src/cli/discv4/nodeset.ts';
import { startNode } from '../helpers/discovery.ts';
import { run } from '../helpers/run.ts';

const T = Date.parse('2025-01-01T00:00:00Z');

let dir: string;
let live: DiscoveryV4;
let silent: Socket;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ethp2p-resolve-json-'));
  live = await startNode();
  // A UDP port that takes packets and never answers: ENR requests to it time out.
  silent = createSocket('udp4');
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await live.stop();
  silent.close();
  await rm(dir, { recursive: true, force: true });
});

function silentNode(): Node {
  const entries = { ip: '127.0.0.1', udp: silent.address().port };
  return Node.fromEnr(Enr.sign({ seq: 1n, entries }, generatePrivateKey()));
}

describe('discv4 resolve-json', () => {
  it('updates records of nodes that answer and scores down those that do not', async () => {
    const old = live.self();
    const keptNode = silentNode();
    const goneNode = silentNode();
    const input: NodeSet = new Map(
      [
        { node: old, score: 1 },
        { node: keptNode, score: 4 },
        { node: goneNode, score: 1 },
      ].map(({ node, score }) => [
        nodeIdToHex(node.id),
        { node, score, firstResponse: T, lastResponse: T, lastCheck: T },
      ]),
    );
    const file = join(dir, 'nodes.json');
    await writeFile(file, formatNodeSet(input));
    // The live node's record changes after the file was written.
    live.localNode.set('foo', 'bar');
    expect(live.self().seq).toBeGreaterThan(old.seq);

    const args = ['--addr', '127.0.0.1:0', '--timeout', '3s', '--parallel', '2', file];
    const r = await run(['discv4', 'resolve-json', ...args]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toEqual([
      'resolved 3 of 3 nodes: 1 answered (1 newer records), 1 kept without an answer, 1 removed',
    ]);

    const output = parseNodeSet(await readFile(file, 'utf8'));
    expect([...output.keys()].sort()).toEqual(
      [live.localNode.id, keptNode.id].map(nodeIdToHex).sort(),
    );
    const updated = output.get(nodeIdToHex(live.localNode.id));
    expect(updated?.node.toString()).toBe(live.self().toString());
    expect(updated?.score).toBe(2);
    expect(updated?.firstResponse).toBe(T);
    expect(updated?.lastResponse).toBeGreaterThan(T);
    expect(output.get(nodeIdToHex(keptNode.id))?.score).toBe(2);
  });

  it('is listed in the discv4 help', async () => {
    expect((await run(['discv4', '--help'])).stdout).toMatch(
      /^ {2}resolve-json +Request the record/m,
    );
  });

  it('needs an existing nodes.json', async () => {
    const r = await run(['discv4', 'resolve-json', '--addr', '127.0.0.1:0', join(dir, 'no.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read .*no\.json/);
  });
});
