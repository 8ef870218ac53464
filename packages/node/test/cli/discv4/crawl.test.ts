import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@ethp2p/base/testing';
import type { DiscoveryV4 } from '@ethp2p/discovery';
import { nodeIdToHex } from '@ethp2p/enode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNodeSet } from '../../../src/cli/discv4/nodeset.ts';
import { main } from '../../../src/cli/main.ts';
import { onTableAdded, startNode, tableHolds } from '../helpers/discovery.ts';
import { run, testIo } from '../helpers/run.ts';

const LOCAL = ['--addr', '127.0.0.1:0'];
const RFC3339_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

let dir: string;
let nodes: DiscoveryV4[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ethp2p-crawl-'));
  const first = await startNode();
  const rest = await Promise.all([1, 2, 3].map(() => startNode([first.self()])));
  nodes = [first, ...rest];
  // The bootnode must know the others before a crawl can learn them from it.
  await waitFor(
    tableHolds(
      first,
      rest.map((n) => n.localNode.id),
    ),
    { on: onTableAdded(first), what: 'the bootnode knows the other nodes' },
  );
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  await rm(dir, { recursive: true, force: true });
});

const PROGRESS =
  /^crawling \S+: (\d+) nodes \(added \d+, updated \d+, removed \d+, no record \d+\), queried \d+ \(\d+\.\d\/s\)$/;

/** Runs `discv4 crawl` in-process with progress lines every 50 ms; `stop` is SIGINT. */
function crawlInProcess(args: readonly string[]) {
  const controller = new AbortController();
  const io = testIo({}, controller.signal);
  const exit = main(['discv4', 'crawl', '--progress', '50ms', ...LOCAL, ...args], io);
  return { io, exit, stop: () => controller.abort(new Error('received SIGINT')) };
}

const ids = (list: readonly DiscoveryV4[]): string[] =>
  list.map((n) => nodeIdToHex(n.localNode.id)).sort();

describe('discv4 crawl', () => {
  it('walks the DHT from a bootnode and writes every node as nodes.json, then re-checks it', async () => {
    const file = join(dir, 'nodes.json');
    const bootnodes = ['--bootnodes', nodes[0]?.self().enodeUrl() ?? ''];
    // Interrupted once a progress line shows all four, so a slow machine only takes longer.
    const first = crawlInProcess([...bootnodes, '--timeout', '1h', file]);
    await first.io.stderr.waitFor((t) => /: 4 nodes \(/.test(t), AbortSignal.timeout(30_000));
    first.stop();
    expect(await first.exit).toBe(0);
    expect(first.io.stdout.text).toBe('');
    expect(first.io.stderr.lines.at(-1)).toMatch(
      /^crawl interrupted: 4 nodes \(added 4, updated 0, removed 0/,
    );

    const text = await readFile(file, 'utf8');
    const json = JSON.parse(text) as Record<string, Record<string, unknown>>;
    expect(Object.keys(json)).toEqual(ids(nodes));
    for (const n of nodes) {
      const entry = json[nodeIdToHex(n.localNode.id)] ?? {};
      expect(Object.keys(entry)).toEqual([
        'seq',
        'record',
        'score',
        'firstResponse',
        'lastResponse',
        'lastCheck',
      ]);
      expect(entry.record).toBe(n.self().toString());
      expect(entry.seq).toBe(Number(n.self().seq));
      expect(entry.score).toBe(1);
      expect(entry.firstResponse).toMatch(RFC3339_SECONDS);
      expect(entry.lastResponse).toBe(entry.firstResponse);
    }
    expect(parseNodeSet(text).size).toBe(4);

    // The second run re-checks the file: three answer again, the stopped one is dropped.
    const gone = nodes[3] as DiscoveryV4;
    await gone.stop();
    const second = await run(['discv4', 'crawl', '--timeout', '0', ...LOCAL, file]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/: 3 nodes \(added 0, updated 3, removed 1, no record 0\)\n$/);
    const after = parseNodeSet(await readFile(file, 'utf8'));
    expect([...after.keys()].sort()).toEqual(ids(nodes.slice(0, 3)));
    for (const entry of after.values()) expect(entry.score).toBe(2);
  });

  it('prints the set without a file', async () => {
    const bootnodes = ['--bootnodes', nodes[0]?.self().enodeUrl() ?? ''];
    const { code, stdout, stderr } = await run([
      'discv4',
      'crawl',
      ...bootnodes,
      '--timeout',
      '0s',
      ...LOCAL,
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe('{}\n');
    expect(stderr).toMatch(/^crawl re-checked the input, no walk: 0 nodes \(added 0,/);
  });

  it('shows progress on stderr while it walks: nodes found, queried and the rate', async () => {
    const bootnodes = ['--bootnodes', nodes[0]?.self().enodeUrl() ?? ''];
    const { io, exit, stop } = crawlInProcess([...bootnodes, '--timeout', '1h']);
    await io.stderr.waitFor((t) => /queried [1-9]/.test(t), AbortSignal.timeout(10_000));
    stop();
    expect(await exit).toBe(0);
    const lines = io.stderr.lines;
    expect(lines.at(-1)).toMatch(/^crawl interrupted: \d+ nodes/);
    const found = lines.slice(0, -1).map((line) => PROGRESS.exec(line));
    expect(found.every((m) => m !== null)).toBe(true);
    expect(Number(found.at(-1)?.[1])).toBeGreaterThan(0);
  });

  it('shows progress even when nothing answers', async () => {
    const gone = await startNode();
    const enode = gone.self().enodeUrl();
    await gone.stop();
    const { io, exit, stop } = crawlInProcess(['--bootnodes', enode, '--timeout', '1h']);
    await io.stderr.waitFor((t) => t.split('\n').length >= 3, AbortSignal.timeout(10_000));
    stop();
    expect(await exit).toBe(0);
    expect(io.stderr.lines[0]).toMatch(PROGRESS);
    expect(io.stderr.lines[0]).toMatch(/: 0 nodes \(.*\), queried 0 \(0\.0\/s\)$/);
  });

  it('needs somewhere to start, and a valid file', async () => {
    const none = await run(['discv4', 'crawl', ...LOCAL, join(dir, 'missing.json')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^ethp2p: nothing to start from: give --bootnodes or a nodes.json/);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"00": {"seq": 1, "record": "enr:x"}}');
    const invalid = await run(['discv4', 'crawl', ...LOCAL, bad]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^ethp2p: .*bad\.json: node 00: invalid record: /);
  });
});
