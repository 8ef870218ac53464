import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
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
