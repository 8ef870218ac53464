import { join } from 'node:path';
import { generatePrivateKey } from '@ethp2p/crypto';
import { Tree } from '@ethp2p/dnsdisc';
import { Enr, Node } from '@ethp2p/enode';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveTxt } from '../../../dnsdisc/test/helpers/dns-server.ts';
import { writeChain } from '../node/helpers.ts';
import { assertBuilt, e2eDir, enodeOf, ethp2p, nodeArgs, stopAll } from './helpers.ts';

beforeAll(() => assertBuilt());
afterEach(() => stopAll());

describe('ethp2p rlpx ping and discv4 ping against a running node (real processes)', () => {
  it('both succeed', async () => {
    const dir = await e2eDir();
    const { genesisPath } = await writeChain(dir, 2);
    const node = ethp2p(nodeArgs(join(dir, 'n'), genesisPath));
    const enode = await enodeOf(node);
    const id = enode.slice('enode://'.length, enode.indexOf('@'));

    const rlpx = ethp2p(['rlpx', 'ping', enode, '--timeout', '10s']);
    const { code: rlpxCode } = await rlpx.exited;
    expect(rlpx.stderr).toBe('');
    expect(rlpxCode).toBe(0);
    expect(rlpx.stdout).toMatch(/^name +ethp2p/m);
    expect(rlpx.stdout).toMatch(/^caps +eth\/\d+/m);
    expect(rlpx.stdout).toContain(`id           ${id}`);
    expect(rlpx.stdout).toMatch(/^rtt +\d+\.\d\d ms$/m);

    // --version prints the name the node gives its peers.
    const version = ethp2p(['--version']);
    expect((await version.exited).code).toBe(0);
    expect(rlpx.stdout).toContain(`name         ${version.stdout}`);

    const disc = ethp2p(['discv4', 'ping', enode, '--addr', '127.0.0.1:0']);
    const { code: discCode } = await disc.exited;
    expect(disc.stderr).toBe('');
    expect(discCode).toBe(0);
    expect(disc.stdout).toMatch(/node answered the ping: rtt \d+\.\d\d ms/);
  }, 60_000);
});

describe('ethp2p dns sync (a real process)', () => {
  it('stays alive through the rate limit waits and writes the tree', async () => {
    const dir = await e2eDir();
    const nodes = Array.from({ length: 14 }, () =>
      Node.fromEnr(
        Enr.sign({ seq: 1n, entries: { ip: '10.0.0.1', tcp: 30303 } }, generatePrivateKey()),
      ),
    );
    const { tree, url } = Tree.make(1, nodes).sign(generatePrivateKey(), 'sync.test');
    const server = await serveTxt(tree.toTxt('sync.test'));
    try {
      // More lookups than the burst of 10: the default 3 a second makes the process wait.
      const sync = ethp2p(['dns', 'sync', url, join(dir, 'out'), '--dns.server', server.address]);
      const { code } = await sync.exited;
      expect(sync.stderr).toBe('');
      expect(code).toBe(0);
      expect(sync.stdout).toContain('14 nodes, 0 links, seq 1');
    } finally {
      await server.close();
    }
  }, 60_000);
});
