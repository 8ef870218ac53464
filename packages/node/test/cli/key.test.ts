import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, hexToBytes, publicKey } from '@ethp2p/crypto';
import { Enr, loadNodeKey, Node, nodeIdFromPublicKey, nodeIdToHex } from '@ethp2p/enode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './helpers/run.ts';

let dir: string;
let keyFile: string;
let key: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ethp2p-key-'));
  keyFile = join(dir, 'nodekey');
  const { code } = await run(['key', 'generate', keyFile]);
  expect(code).toBe(0);
  key = await loadNodeKey(keyFile);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const idOf = (k: Uint8Array): string => nodeIdToHex(nodeIdFromPublicKey(publicKey(k)));

describe('key generate', () => {
  it('prints a new key as 64 hex characters without a file', async () => {
    const a = await run(['key', 'generate']);
    const b = await run(['key', 'generate']);
    expect(a.code).toBe(0);
    expect(a.out).toHaveLength(1);
    expect(a.out[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(a.out[0]).not.toBe(b.out[0]);
    expect(publicKey(hexToBytes(a.out[0] ?? ''))).toHaveLength(64);
  });

  it('writes the key file with mode 0600 in nodekey format', async () => {
    const info = await stat(keyFile);
    expect(info.mode & 0o777).toBe(0o600);
    expect(await readFile(keyFile, 'latin1')).toBe(bytesToHex(key));
  });

  it('never overwrites an existing file', async () => {
    const before = await readFile(keyFile, 'latin1');
    const { code, stderr, stdout } = await run(['key', 'generate', keyFile]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`ethp2p: ${keyFile} already exists; remove it or choose another path\n`);
    expect(await readFile(keyFile, 'latin1')).toBe(before);
  });
});

describe('key to-id', () => {
  it('prints the node ID of the key', async () => {
    const { code, out } = await run(['key', 'to-id', keyFile]);
    expect(code).toBe(0);
    expect(out).toEqual([idOf(key)]);
  });

  it('fails with one line for a missing file', async () => {
    const missing = join(dir, 'missing');
    const { code, stderr } = await run(['key', 'to-id', missing]);
    expect(code).toBe(1);
    expect(stderr.split('\n')).toHaveLength(2);
    expect(stderr).toMatch(new RegExp(`^ethp2p: node key ${missing}: cannot open.*ENOENT`));
  });

  it('fails with one line for a file that is not a key', async () => {
    const bad = join(dir, 'bad');
    await writeFile(bad, 'not a key\n');
    const { code, stderr } = await run(['key', 'to-id', bad]);
    expect(code).toBe(1);
    expect(stderr).toBe(`ethp2p: node key ${bad}: expected 64 hex characters\n`);
  });

  it('is a usage error without the file argument', async () => {
    const { code, stderr } = await run(['key', 'to-id']);
    expect(code).toBe(2);
    expect(stderr).toBe("ethp2p: missing argument <file> (see 'ethp2p key to-id --help')\n");
  });
});

describe('key to-enode', () => {
  it('prints the URL with the default endpoint 127.0.0.1:30303', async () => {
    const { code, out } = await run(['key', 'to-enode', keyFile]);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const node = Node.parse(out[0] ?? '');
    expect(nodeIdToHex(node.id)).toBe(idOf(key));
    expect([node.ip, node.tcp, node.udp]).toEqual(['127.0.0.1', 30303, 30303]);
  });

  it('takes --ip, --tcp and --udp, IPv6 included', async () => {
    const { out } = await run([
      'key',
      'to-enode',
      keyFile,
      '--ip',
      '::1',
      '--tcp',
      '1000',
      '--udp=2000',
    ]);
    expect(out[0]).toBe(`enode://${bytesToHex(publicKey(key))}@[::1]:1000?discport=2000`);
  });

  it('is a usage error for a bad port or address', async () => {
    const port = await run(['key', 'to-enode', keyFile, '--tcp', 'abc']);
    expect(port.code).toBe(2);
    expect(port.stderr).toBe(
      "ethp2p: --tcp: expected a port number in 0-65535, got 'abc' (see 'ethp2p key to-enode --help')\n",
    );
    const ip = await run(['key', 'to-enode', keyFile, '--ip', '1.2.3']);
    expect(ip.code).toBe(2);
    expect(ip.stderr).toMatch(/^ethp2p: --ip: expected an IP address, got '1.2.3'/);
  });
});

describe('key to-enr', () => {
  it('prints a signed record of the key with ip, tcp and udp', async () => {
    const { code, out } = await run([
      'key',
      'to-enr',
      keyFile,
      '--ip',
      '10.0.0.1',
      '--udp',
      '30301',
    ]);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const enr = Enr.decodeText(out[0] ?? '');
    expect(nodeIdToHex(enr.nodeId)).toBe(idOf(key));
    expect(enr.seq).toBe(1n);
    expect([enr.ip, enr.tcp, enr.udp]).toEqual(['10.0.0.1', 30303, 30301]);
    expect(Node.parse(out[0] ?? '').enodeUrl()).toBe(
      (await run(['key', 'to-enode', keyFile, '--ip', '10.0.0.1', '--udp', '30301'])).out[0],
    );
  });

  it('writes ip6 for an IPv6 address, leaves out zero ports and takes --seq', async () => {
    const { out } = await run([
      'key',
      'to-enr',
      keyFile,
      '--ip',
      '::1',
      '--tcp',
      '0',
      '--seq',
      '7',
    ]);
    const enr = Enr.decodeText(out[0] ?? '');
    expect(enr.keys()).toEqual(['id', 'ip6', 'secp256k1', 'udp']);
    expect([enr.ip6, enr.udp, enr.seq]).toEqual(['::1', 30303, 7n]);
  });

  it('reads flags from ETHP2P_* variables, and a flag wins over its variable', async () => {
    const env = { ETHP2P_TCP: '4000', ETHP2P_IP: '10.1.1.1' };
    const fromEnv = Enr.decodeText((await run(['key', 'to-enr', keyFile], { env })).out[0] ?? '');
    expect([fromEnv.ip, fromEnv.tcp]).toEqual(['10.1.1.1', 4000]);
    const both = await run(['key', 'to-enr', keyFile, '--tcp', '5000'], { env });
    expect(Enr.decodeText(both.out[0] ?? '').tcp).toBe(5000);
  });

  it('names the variable when its value is bad', async () => {
    const { code, stderr } = await run(['key', 'to-enr', keyFile], { env: { ETHP2P_UDP: 'x' } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^ethp2p: ETHP2P_UDP: expected a port number in 0-65535, got 'x'/);
  });
});
