import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { encodeList, encodeUint, listItems, readItem } from '@ethp2p/base/rlp';
import type { MemoryChain } from '@ethp2p/chain';
import { bytesToHex, concatBytes, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Tree } from '@ethp2p/dnsdisc';
import { Enr, Node, nodeIdFromPublicKey, nodeIdToHex } from '@ethp2p/enode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTxt } from '../../../dnsdisc/test/helpers/dns-server.ts';
import { main } from '../../src/cli/main.ts';
import { run, testIo } from '../cli/helpers/run.ts';
import { FakeStunServer } from '../nat/fake-gateways.ts';
import { type ChainFilesOnDisk, loadChain, loopbackNode, tempDir, writeChain } from './helpers.ts';

let dir: string;
let files: ChainFilesOnDisk;
let chain: MemoryChain;

beforeAll(async () => {
  dir = await tempDir();
  files = await writeChain(dir, 8);
  chain = await loadChain(files);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The flags of a loopback node on the generated chain, in `datadir`. */
function loopback(datadir: string): string[] {
  return [
    '--genesis',
    files.genesisPath,
    '--chain',
    files.chainPath,
    '--datadir',
    datadir,
    '--listen.ip',
    '127.0.0.1',
    '--port',
    '0',
    '--nat',
    'extip:127.0.0.1',
  ];
}

/** Starts `ethp2p node` in-process and waits for its enode URL and record. */
async function startNode(args: readonly string[], env: Record<string, string> = {}) {
  const controller = new AbortController();
  const io = testIo(env, controller.signal);
  const exit = main(['node', ...args], io);
  const ready = io.stdout.waitFor((t) => t.split('\n').length >= 3, AbortSignal.timeout(10_000));
  await Promise.race([
    ready,
    exit.then((code) => Promise.reject(new Error(`exit ${code}: ${io.stderr.text}`))),
  ]);
  const [enode = '', enr = ''] = io.stdout.lines;
  return { io, exit, enode, enr, stop: () => controller.abort(new Error('received SIGINT')) };
}

/** A one-line failure: exit code and the exact stderr. */
async function fails(args: readonly string[], env: Record<string, string> = {}) {
  const result = await run(['node', ...args], { env });
  expect(result.stdout).toBe('');
  expect(result.stderr.split('\n')).toHaveLength(2);
  return { code: result.code, line: result.stderr.trimEnd() };
}

const STATUS =
  /^head \d+ \(0x[0-9a-f]{8}…\)(?: syncing to \d+)?(?: \d+ blocks\/s)? peers (\d+) \(in (\d+), out (\d+)\)(?: \[[^\]]+\])? table (\d+|off) dials (\d+) ok (\d+) traffic in \d+(?:\.\d)? k?M?G?B out \d+(?:\.\d)? k?M?G?B$/;

describe('ethp2p node', () => {
  it('--nat stun:<ip>:<port> learns the external IP from a STUN server on loopback', async () => {
    const stun = await FakeStunServer.start();
    try {
      const args = loopback(join(dir, 'nat-stun'));
      args.splice(args.indexOf('--nat') + 1, 1, `stun:127.0.0.1:${stun.port}`);
      const node = await startNode(args);
      await node.io.stderr.waitFor(
        (t) => t.includes('nat external ip'),
        AbortSignal.timeout(10_000),
      );
      expect(node.io.stderr.text).toMatch(/nat external ip .*ip=198\.51\.100\.20/);
      node.stop();
      expect(await node.exit).toBe(0);
      expect(stun.requests).toBeGreaterThanOrEqual(1);
    } finally {
      await stun.close();
    }
  });

  it('prints its enode URL and record, status lines, and stops cleanly on the signal', async () => {
    const datadir = join(dir, 'run');
    const node = await startNode([
      ...loopback(datadir),
      '--nodiscover',
      '--status.interval',
      '50ms',
    ]);
    const self = Node.parse(node.enode);
    expect(self.ip).toBe('127.0.0.1');
    expect(self.tcp).toBeGreaterThan(0);
    const record = Enr.decodeText(node.enr);
    expect(nodeIdToHex(record.nodeId)).toBe(nodeIdToHex(self.id));
    expect(record.get('eth')).toBeDefined();
    await node.io.stdout.waitFor((t) => t.split('\n').length >= 4, AbortSignal.timeout(10_000));
    expect(node.io.stdout.lines[2]).toMatch(
      /^head 8 \(0x[0-9a-f]{8}…\) peers 0 \(in 0, out 0\) table off dials 0 ok 0 traffic in 0 B out 0 B$/,
    );
    node.stop();
    expect(await node.exit).toBe(0);
    expect(node.io.stdout.lines.at(-1)).toMatch(/^stopped after \d/);
    expect(node.io.stderr.text).toMatch(/node started/);
    expect(node.io.stderr.text).toMatch(/shutting down/);
    expect((await stat(join(datadir, 'nodekey'))).mode & 0o777).toBe(0o600);
    expect((await readdir(datadir)).sort()).toEqual(['chaindata', 'nodekey', 'nodes']);
  });

  it('runs with the --nodekeyhex identity, writing no nodekey file', async () => {
    const key = generatePrivateKey();
    const datadir = join(dir, 'keyhex');
    const node = await startNode([
      ...loopback(datadir),
      '--nodiscover',
      '--nodekeyhex',
      bytesToHex(key),
    ]);
    expect(nodeIdToHex(Node.parse(node.enode).id)).toBe(
      nodeIdToHex(nodeIdFromPublicKey(publicKey(key))),
    );
    node.stop();
    expect(await node.exit).toBe(0);
    expect((await readdir(datadir)).sort()).toEqual(['chaindata', 'nodes']);
  });

  it('writes log lines to --log.file instead of stderr, appending', async () => {
    const file = join(dir, 'node.log');
    await writeFile(file, 'earlier\n');
    const node = await startNode([
      ...loopback(join(dir, 'logfile')),
      '--nodiscover',
      '--log.file',
      file,
    ]);
    node.stop();
    expect(await node.exit).toBe(0);
    expect(node.io.stderr.text).toBe('');
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines[0]).toBe('earlier');
    expect(lines.some((l) => /^INFO .*node started/.test(l))).toBe(true);
    expect(lines.some((l) => /shutting down/.test(l))).toBe(true);
  });

  it('says why a --log.file cannot be opened', async () => {
    const file = join(dir, 'no-such-dir', 'node.log');
    const { code, line } = await fails([...loopback(join(dir, 'logfail')), '--log.file', file]);
    expect(code).toBe(1);
    expect(line).toBe(`ethp2p: --log.file ${file}: cannot open (ENOENT)`);
  });

  it('connects to a --static node and shows it in the status line', async () => {
    const first = await startNode([...loopback(join(dir, 's1')), '--nodiscover']);
    const second = await startNode(
      [
        ...loopback(join(dir, 's2')),
        '--nodiscover',
        '--status.interval',
        '50ms',
        '--verbosity',
        '0',
      ],
      { ETHP2P_STATIC: first.enode },
    );
    try {
      await second.io.stdout.waitFor(
        (t) => t.includes('peers 1 (in 0, out 1) [ethp2p 1]'),
        AbortSignal.timeout(10_000),
      );
      const line = second.io.stdout.lines.find((l) => l.includes(' peers 1 ')) ?? '';
      expect(line).toMatch(STATUS);
      expect(line).toMatch(/dials 1 ok 1/);
      expect(second.io.stderr.text).toBe('');
    } finally {
      second.stop();
      first.stop();
    }
    expect(await second.exit).toBe(0);
    expect(await first.exit).toBe(0);
  });

  it('finds a --bootnodes node through discovery', async () => {
    const boot = await startNode([...loopback(join(dir, 'd1'))]);
    const node = await startNode([
      ...loopback(join(dir, 'd2')),
      '--bootnodes',
      boot.enode,
      '--status.interval',
      '50ms',
    ]);
    try {
      await node.io.stdout.waitFor(
        (t) => /peers 1 \(in [01], out [01]\) \[ethp2p 1\] table [1-9]/.test(t),
        AbortSignal.timeout(15_000),
      );
    } finally {
      node.stop();
      boot.stop();
    }
    expect(await node.exit).toBe(0);
    expect(await boot.exit).toBe(0);
  });

  it('dials the nodes of a --discovery.dns tree on loopback, without bootnodes', async () => {
    const peer = await startNode([...loopback(join(dir, 'dns-peer')), '--nodiscover']);
    const { tree, url } = Tree.make(1, [Node.parse(peer.enr)]).sign(generatePrivateKey(), 'n.test');
    const server = await serveTxt(tree.toTxt('n.test'));
    const node = await startNode([
      ...loopback(join(dir, 'dns-node')),
      '--discovery.dns',
      url,
      '--discovery.dns.server',
      server.address,
      '--status.interval',
      '50ms',
    ]);
    try {
      await node.io.stdout.waitFor(
        (t) => /peers 1 \(in 0, out 1\) \[ethp2p 1\]/.test(t),
        AbortSignal.timeout(15_000),
      );
    } finally {
      node.stop();
      peer.stop();
    }
    expect(await node.exit).toBe(0);
    expect(await peer.exit).toBe(0);
    await server.close();
  });

  it('writes JSON log and status lines with --log.format json', async () => {
    const node = await startNode([
      ...loopback(join(dir, 'json')),
      '--nodiscover',
      '--log.format',
      'json',
      '--status.interval',
      '50ms',
    ]);
    await node.io.stdout.waitFor((t) => t.split('\n').length >= 3, AbortSignal.timeout(10_000));
    node.stop();
    expect(await node.exit).toBe(0);
    const [started, status] = node.io.stdout.lines.map((l) => JSON.parse(l));
    expect(started).toMatchObject({ lvl: 'info', msg: 'node started' });
    expect(Node.parse(started.enode).tcp).toBeGreaterThan(0);
    expect(status).toMatchObject({ msg: 'status', peers: 0, table: null, bytesIn: 0 });
    for (const line of node.io.stderr.lines) expect(JSON.parse(line)).toHaveProperty('msg');
  });

  it('logs the new key first, then one node ID everywhere, the one of its enode', async () => {
    const node = await startNode([
      ...loopback(join(dir, 'identity')),
      '--nodiscover',
      '--log.format',
      'json',
      '--status.interval',
      '50ms',
    ]);
    node.stop();
    expect(await node.exit).toBe(0);
    const logs = node.io.stderr.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const msgs = logs.map((l) => l.msg);
    const order = ['created a new node key', 'server started', 'node started'];
    const at = order.map((msg) => msgs.indexOf(msg));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const [enode] = node.io.stdout.lines.map((l) => JSON.parse(l).enode as string);
    const nodeId = nodeIdToHex(Node.parse(enode ?? '').id);
    for (const i of at) expect(logs[i]?.nodeId).toBe(nodeId);
  });

  it('refuses a datadir another node has locked, writing nothing to it', async () => {
    const datadir = join(dir, 'locked');
    const holder = loopbackNode({ datadir, chain, discovery: false });
    await holder.start();
    try {
      const before = (await readdir(datadir)).sort();
      const { code, line } = await fails(loopback(datadir));
      expect(code).toBe(1);
      expect(line).toBe(
        `ethp2p: datadir ${datadir} is in use by another ethp2p (pid ${process.pid}); stop it or pick another --datadir`,
      );
      expect((await readdir(datadir)).sort()).toEqual(before);
    } finally {
      await holder.stop();
    }
  });

  it('refuses a datadir locked by another running process', async () => {
    const datadir = join(dir, 'locked-other');
    await mkdir(datadir);
    await writeFile(join(datadir, 'LOCK'), `${process.ppid}\n`);
    const { code, line } = await fails(loopback(datadir));
    expect(code).toBe(1);
    expect(line).toBe(
      `ethp2p: datadir ${datadir} is in use by another ethp2p (pid ${process.ppid}); stop it or pick another --datadir`,
    );
    expect(await readdir(datadir)).toEqual(['LOCK']);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const datadir = join(dir, 'stale');
    await mkdir(datadir);
    await writeFile(join(datadir, 'LOCK'), '999999999\n');
    const node = await startNode([...loopback(datadir), '--nodiscover']);
    node.stop();
    expect(await node.exit).toBe(0);
    expect((await readdir(datadir)).sort()).toEqual(['chaindata', 'nodekey', 'nodes']);
  });

  it('says which port is in use: TCP', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      const datadir = join(dir, 'tcp-busy', 'fresh');
      const args = [...loopback(datadir), '--port', String(port), '--nodiscover'];
      const { code, line } = await fails(args);
      expect(code).toBe(1);
      expect(line).toBe(`ethp2p: TCP port ${port} is in use; pick another with --port`);
      await expect(stat(join(dir, 'tcp-busy'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await close(blocker);
    }
  });

  it('says which port is in use: UDP', async () => {
    const blocker = createSocket('udp4');
    blocker.bind(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = blocker.address().port;
    try {
      const datadir = join(dir, 'udp-busy');
      const args = [...loopback(datadir), '--discovery.port', String(port)];
      const { code, line } = await fails(args);
      expect(code).toBe(1);
      expect(line).toBe(`ethp2p: UDP port ${port} is in use; pick another with --discovery.port`);
      await expect(stat(datadir)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      blocker.close();
    }
  });

  it('creates no datadir when the listen IP is not an address of this machine', async () => {
    const datadir = join(dir, 'bad-ip');
    const { code, line } = await fails([...loopback(datadir), '--listen.ip', '192.0.2.1']);
    expect(code).toBe(1);
    expect(line).toBe(
      'ethp2p: cannot listen on UDP 192.0.2.1:0 (not an address of this machine); check --listen.ip and --discovery.port',
    );
    await expect(stat(datadir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('leaves an existing datadir unchanged when the start fails', async () => {
    const used = join(dir, 'used');
    const first = await startNode([...loopback(used), '--nodiscover']);
    first.stop();
    expect(await first.exit).toBe(0);
    const key = await readFile(join(used, 'nodekey'), 'utf8');
    const empty = join(dir, 'empty');
    await mkdir(empty);
    for (const datadir of [used, empty]) {
      const before = (await readdir(datadir, { recursive: true })).sort();
      const { code } = await fails([...loopback(datadir), '--listen.ip', '192.0.2.1']);
      expect(code).toBe(1);
      expect((await readdir(datadir, { recursive: true })).sort()).toEqual(before);
    }
    expect(await readFile(join(used, 'nodekey'), 'utf8')).toBe(key);
  });

  it('reports a missing or invalid genesis in one line, creating no datadir', async () => {
    const datadir = join(dir, 'never');
    const missing = join(dir, 'missing.json');
    const one = await fails(['--genesis', missing, '--datadir', datadir]);
    expect(one).toEqual({
      code: 1,
      line: `ethp2p: cannot read genesis file ${missing} (no such file); check --genesis`,
    });
    const bad = join(dir, 'bad-genesis.json');
    await writeFile(bad, '{"config": {}, "alloc": {}}');
    const two = await fails(['--genesis', bad, '--datadir', datadir]);
    expect(two.code).toBe(1);
    expect(two.line).toMatch(new RegExp(`^ethp2p: genesis ${bad}: .+; fix it or check --genesis$`));
    await expect(stat(datadir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reports a chain file that does not continue the genesis', async () => {
    const other = await tempDir();
    try {
      const wrong = join(other, 'wrong.rlp');
      await writeFile(wrong, Uint8Array.of(0xc1, 0x80));
      const { code, line } = await fails([
        '--genesis',
        files.genesisPath,
        '--chain',
        wrong,
        '--datadir',
        join(other, 'd'),
      ]);
      expect(code).toBe(1);
      expect(line).toMatch(new RegExp(`^ethp2p: chain ${wrong}: .+; check --chain$`));
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('executes the --chain into its datadir, and a restart resumes at the stored head', async () => {
    const datadir = join(dir, 'executed');
    const first = await startNode([...loopback(datadir), '--nodiscover']);
    expect(first.io.stderr.text).toMatch(/chain opened .*head=8/);
    first.stop();
    expect(await first.exit).toBe(0);
    // The stored chain is the truth now: without --chain the node still serves head 8.
    const flags = loopback(datadir);
    flags.splice(flags.indexOf('--chain'), 2);
    const second = await startNode([...flags, '--nodiscover']);
    expect(second.io.stderr.text).toMatch(/chain opened .*head=8/);
    second.stop();
    expect(await second.exit).toBe(0);
  });

  it('refuses a chain.rlp with a block that does not execute, naming it and the field', async () => {
    const other = await tempDir();
    try {
      // Block 3 of the chain with a wrong gas used: it links and decodes, but does not execute.
      const data = new Uint8Array(await readFile(files.chainPath));
      const blocks: Uint8Array[] = [];
      for (let pos = 0; pos < data.length; pos += (blocks.at(-1) as Uint8Array).length) {
        blocks.push(readItem(data, pos).raw);
      }
      const [header, ...body] = listItems(readItem(blocks[2] as Uint8Array, 0), 'block');
      const fields = listItems(header, 'header').map((f) => f.raw);
      fields[10] = encodeUint(1n);
      const block3 = encodeList([encodeList(fields), ...body.map((b) => b.raw)]);
      const tampered = concatBytes(...blocks.slice(0, 2), block3);
      const bad = join(other, 'bad.rlp');
      await writeFile(bad, tampered);
      const args = loopback(join(other, 'd'));
      args.splice(args.indexOf('--chain') + 1, 1, bad);
      const result = await run(['node', ...args, '--nodiscover']);
      expect(result.code).toBe(1);
      expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(
        /^ethp2p: chain .*bad\.rlp: block 3 .*gasUsed.*; check --chain$/,
      );
      // The failed start removed the datadir it created, chain store included.
      expect(await readdir(other)).toEqual(['bad.rlp']);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('says a --datadir that is a file, or is below one, is not a directory', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a datadir\n');
    expect(await fails(loopback(file))).toEqual({
      code: 1,
      line: `ethp2p: --datadir ${file}: not a directory`,
    });
    const below = join(file, 'sub', 'dir');
    expect(await fails(loopback(below))).toEqual({
      code: 1,
      line: `ethp2p: --datadir ${below}: ${file} is not a directory`,
    });
    const flags = ['--genesis', files.genesisPath, '--chain', files.chainPath, '--nodiscover'];
    const env = await fails(flags, { ETHP2P_DATADIR: file });
    expect(env.line).toBe(`ethp2p: ETHP2P_DATADIR ${file}: not a directory`);
  });

  it('names the flag or variable of a bad enode in a node list', async () => {
    const datadir = join(dir, 'bad-enode');
    const flag = await fails([...loopback(datadir), '--bootnodes', 'enode://1234@127.0.0.1:30303']);
    expect(flag.code).toBe(1);
    expect(flag.line).toMatch(
      /^ethp2p: invalid --bootnodes entry 'enode:\/\/1234@127\.0\.0\.1:30303': /,
    );
    const env = await fails(loopback(datadir), { ETHP2P_STATIC: 'enode://nope' });
    expect(env.line).toMatch(/^ethp2p: invalid ETHP2P_STATIC entry 'enode:\/\/nope': /);
    await expect(stat(datadir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each([
    [
      ['--network', 'goerli'],
      /--network: expected one of mainnet, sepolia, holesky, hoodi, got 'goerli'/,
    ],
    [['--chain', 'chain.rlp'], /--chain needs --genesis/],
    [['--network', 'sepolia', '--genesis', 'g.json'], /--network and --genesis exclude each other/],
    [['--nat', 'upnp:x'], /--nat: expected any\|none\|upnp.*takes no argument/],
    [['--port', '70000'], /--port: expected a port number in 0-65535, got '70000'/],
    [['--verbosity', '9'], /--verbosity: expected an integer in 0-5, got '9'/],
    [['--log.format', 'xml'], /--log.format: expected text or json, got 'xml'/],
    [['--netrestrict', '10.0.0.0/99'], /--netrestrict: /],
    [['--networkid', '0'], /--networkid: expected an integer/],
  ])('refuses %j as a usage error', async (args, message) => {
    const { code, line } = await fails([...args, '--datadir', join(dir, 'usage')]);
    expect(code).toBe(2);
    expect(line).toMatch(message);
    expect(line).toMatch(/\(see 'ethp2p node --help'\)$/);
  });

  it('reads flags from ETHP2P_* variables', async () => {
    const { code, line } = await fails(['--datadir', join(dir, 'env')], { ETHP2P_PORT: 'abc' });
    expect(code).toBe(2);
    expect(line).toMatch(/^ethp2p: ETHP2P_PORT: expected a port number/);
  });

  it('documents every flag with its variable, and the genesis-only networks', async () => {
    const { code, stdout } = await run(['node', '--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--network',
      '--genesis',
      '--chain',
      '--networkid',
      '--datadir',
      '--port',
      '--discovery.port',
      '--maxpeers',
      '--maxpendpeers',
      '--maxpendpeers.perip',
      '--handshake.idletimeout',
      '--nodekey',
      '--nodekeyhex',
      '--identity',
      '--bootnodes',
      '--static',
      '--trusted',
      '--netrestrict',
      '--nat',
      '--nodiscover',
      '--nodial',
      '--verbosity',
      '--log.format',
      '--log.file',
    ]) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toContain('[ETHP2P_DISCOVERY_PORT]');
    expect(stdout).toContain('[ETHP2P_LOG_FORMAT]');
    expect(stdout).toMatch(/genesis block/);
    const root = await run(['--help']);
    expect(root.stdout).toMatch(/^ {2}node +Run the full node/m);
  });
});

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
