import { bytesToHex, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/errors.ts';
import { parseHostPort, parseNodeArg, resolveHostname } from '../../src/cli/node-arg.ts';
import { run } from './helpers/run.ts';

const PUB = bytesToHex(publicKey(generatePrivateKey()));

describe('parseHostPort', () => {
  it.each([
    ['127.0.0.1:30301', '127.0.0.1', 30301],
    [':0', '0.0.0.0', 0],
    ['[::1]:5', '::1', 5],
    ['0.0.0.0:65535', '0.0.0.0', 65535],
  ])('%s', (text, address, port) => {
    expect(parseHostPort(text, '--addr')).toEqual({ address, port });
  });

  it.each(['127.0.0.1', '::1:5', 'localhost:1', '1.2.3.4:65536', '1.2.3.4:', '1.2.3.4:x'])(
    'rejects %s as a usage error',
    (text) => {
      expect(() => parseHostPort(text, '--addr')).toThrow(CliError);
    },
  );
});

describe('parseNodeArg', () => {
  it.each([
    [`${PUB}@127.0.0.1:30303`, ' (add enode:// in front of <key>@host:port)'],
    ['127.0.0.1:30303', ''],
  ])('says %s is neither an enode:// URL nor an enr: record', async (text, hint) => {
    const { code, stderr } = await run(['rlpx', 'ping', text]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^ethp2p: invalid node '/);
    expect(stderr).toContain(`': expected an enode:// URL or an enr: record${hint}\n`);
  });

  it('parses enode URLs with whitespace around them', () => {
    const node = parseNodeArg(` enode://${PUB}@127.0.0.1:30303?discport=30301\n`);
    expect([node.ip, node.tcp, node.udp]).toEqual(['127.0.0.1', 30303, 30301]);
  });

  it('resolves a DNS name in an enode URL', async () => {
    const node = await resolveHostname(parseNodeArg(`enode://${PUB}@localhost:30303`));
    expect(['127.0.0.1', '::1']).toContain(node.ip);
    expect(node.udp).toBe(30303);
  });
});
