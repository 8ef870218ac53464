import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, generatePrivateKey } from '@ethp2p/crypto';
import { Enr, Node, nodeIdToHex } from '@ethp2p/enode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveTxt, type TxtServer } from '../../../../dnsdisc/test/helpers/dns-server.ts';
import { formatNodeSet, parseNodeSet } from '../../../src/cli/discv4/nodeset.ts';
import { run } from '../helpers/run.ts';

let dir: string;
let server: TxtServer | undefined;

/** Nodes with records long enough (over 255 bytes as text) to be served split. */
const NODES = Array.from({ length: 20 }, (_, i) =>
  Node.fromEnr(
    Enr.sign(
      {
        seq: BigInt(i + 1),
        entries: { ip: '10.0.0.1', tcp: 30303 + i, udp: 30303 + i, pad: new Uint8Array(i * 6) },
      },
      generatePrivateKey(),
    ),
  ),
);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ethp2p-dns-'));
  await writeFile(join(dir, 'dns.key'), bytesToHex(generatePrivateKey()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function treeDir(name: string, nodes: readonly Node[] = NODES): Promise<string> {
  const tree = join(dir, name);
  await rm(tree, { recursive: true, force: true });
  await mkdir(tree);
  const set = new Map(
    nodes.map((node) => [
      nodeIdToHex(node.id),
      { node, score: 1, firstResponse: undefined, lastResponse: undefined, lastCheck: undefined },
    ]),
  );
  await writeFile(join(tree, 'nodes.json'), formatNodeSet(set));
  return tree;
}

async function meta(tree: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(tree, 'enrtree-info.json'), 'utf8'));
}

describe('ethp2p dns', () => {
  it('sign → to-txt → served on loopback → sync gives the same nodes', async () => {
    const tree = await treeDir('all.nodes.test');
    const signed = await run(['dns', 'sign', tree, '--key', join(dir, 'dns.key')]);
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    const url = signed.out[0] ?? '';
    expect(url).toMatch(/^enrtree:\/\/[A-Z2-7]{53}@all\.nodes\.test$/);
    expect(await meta(tree)).toMatchObject({ url, seq: 1, links: [] });

    const txtFile = join(dir, 'txt.json');
    const txt = await run(['dns', 'to-txt', tree, txtFile]);
    expect(txt.code).toBe(0);
    const records = new Map(
      Object.entries(JSON.parse(await readFile(txtFile, 'utf8')) as Record<string, string>),
    );
    expect(records.get('all.nodes.test')).toMatch(/^enrtree-root:v1 e=\S+ l=\S+ seq=1 sig=\S+$/);
    expect([...records.values()].some((t) => t.length > 255)).toBe(true);

    server = await serveTxt(records);
    const out = join(dir, 'synced');
    const synced = await run([
      'dns',
      'sync',
      url,
      out,
      '--dns.server',
      server.address,
      '--rate',
      '1000',
    ]);
    expect(synced.stderr).toBe('');
    expect(synced.out).toEqual([`20 nodes, 0 links, seq 1 in ${out}`]);
    const got = parseNodeSet(await readFile(join(out, 'nodes.json'), 'utf8'));
    expect([...got.values()].map((e) => e.node.toString()).sort()).toEqual(
      NODES.map((n) => n.toString()).sort(),
    );
    const m = await meta(out);
    expect(m).toMatchObject({ url, seq: 1, signature: (await meta(tree)).signature });
  });

  it('signing again raises the seq and keeps the domain; --seq and --domain override', async () => {
    const tree = await treeDir('t2', NODES.slice(0, 3));
    const key = join(dir, 'dns.key');
    const first = await run(['dns', 'sign', tree, '--key', key, '--domain', 'nodes.example.org']);
    expect(first.out[0]).toMatch(/@nodes\.example\.org$/);
    await run(['dns', 'sign', tree, '--key', key]);
    expect(await meta(tree)).toMatchObject({ url: first.out[0], seq: 2 });
    await run(['dns', 'sign', tree, '--key', key, '--seq', '9']);
    expect((await meta(tree)).seq).toBe(9);
  });

  it('writes zone file lines with TTLs and split strings', async () => {
    const tree = await treeDir('zone.test');
    await run(['dns', 'sign', tree, '--key', join(dir, 'dns.key')]);
    const zone = await run(['dns', 'to-txt', tree, '--zone']);
    expect(zone.code).toBe(0);
    const [root, ...rest] = zone.out;
    expect(root).toMatch(/^zone\.test\. 1800 IN TXT "enrtree-root:v1 e=/);
    expect(rest.every((l) => /^[A-Z2-7]{26}\.zone\.test\. 2419200 IN TXT "/.test(l))).toBe(true);
    expect(rest.some((l) => l.includes('" "'))).toBe(true);
  });

  it('refuses an unsigned tree, a tree changed after signing, and a missing key', async () => {
    const tree = await treeDir('bad.test', NODES.slice(0, 4));
    const unsigned = await run(['dns', 'to-txt', tree]);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toMatch(/missing 'url'/);
    expect((await run(['dns', 'sign', tree])).code).toBe(2);
    await run(['dns', 'sign', tree, '--key', join(dir, 'dns.key')]);
    const set = parseNodeSet(await readFile(join(tree, 'nodes.json'), 'utf8'));
    set.delete([...set.keys()][0] ?? '');
    await writeFile(join(tree, 'nodes.json'), formatNodeSet(set));
    const changed = await run(['dns', 'to-txt', tree]);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/invalid signature on tree, run 'ethp2p dns sign'/);
  });

  it('sync fails with a usage error on a bad url and exit 1 when the tree is not served', async () => {
    expect((await run(['dns', 'sync', 'enrtree://nope'])).code).toBe(2);
    server = await serveTxt(new Map());
    const url = 'enrtree://AKPYQIUQIL7PSIACI32J7FGZW56E5FKHEFCCOFHILBIMW3M6LWXS2@missing.test';
    const r = await run(['dns', 'sync', url, join(dir, 'none'), '--dns.server', server.address]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/sync failed: .*missing\.test/);
  });

  it.each([['sign'], ['to-txt'], ['sync']])('dns %s --help', async (name) => {
    const r = await run(['dns', name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Usage: ethp2p dns ${name}`));
  });
});
