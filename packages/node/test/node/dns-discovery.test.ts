import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rejectedError, waitFor } from '@ethp2p/base/testing';
import type { MemoryChain } from '@ethp2p/chain';
import { generatePrivateKey } from '@ethp2p/crypto';
import { Tree } from '@ethp2p/dnsdisc';
import { nodeIdToHex } from '@ethp2p/enode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTxt } from '../../../dnsdisc/test/helpers/dns-server.ts';
import { parseCommandArgs } from '../../src/cli/args.ts';
import { CliError } from '../../src/cli/errors.ts';
import { NODE_OPTIONS, nodeCommandConfig } from '../../src/cli/node-options.ts';
import { NETWORK_DNS_TREES } from '../../src/node/dns-trees.ts';
import { loadChain, loopbackNode, tempDir, writeChain } from './helpers.ts';

let dir: string;
let chain: MemoryChain;

beforeAll(async () => {
  dir = await tempDir('ethp2p-dns-node-');
  chain = await loadChain(await writeChain(dir, 4));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('DNS discovery in the full node', () => {
  it('a node without bootnodes or discovery finds its peer from a DNS tree on loopback', async () => {
    const peer = loopbackNode({ datadir: join(dir, 'peer'), chain, discovery: false });
    await peer.start();
    const server = await serveTxt(new Map());
    try {
      const { tree, url } = Tree.make(1, [peer.self()]).sign(generatePrivateKey(), 'nodes.test');
      for (const [name, text] of tree.toTxt('nodes.test')) server.records.set(name, text);
      const dnsNode = loopbackNode({
        datadir: join(dir, 'dns-node'),
        chain,
        discovery: false,
        dnsDiscovery: [url],
        dnsServers: [server.address],
      });
      await dnsNode.start();
      try {
        const srv = dnsNode.server;
        await waitFor(() => (srv?.peers().length ?? 0) > 0, {
          what: 'the node dials the peer from the tree',
          on: { emitters: srv === undefined ? [] : [srv.events], events: ['peer:added'] },
        });
        expect(srv?.peers().map((p) => nodeIdToHex(p.id))).toEqual([nodeIdToHex(peer.self().id)]);
        expect(server.queried[0]?.toLowerCase()).toBe('nodes.test');
        expect(dnsNode.discovery).toBeUndefined();
      } finally {
        await dnsNode.stop();
      }
    } finally {
      await peer.stop();
      await server.close();
    }
  });
});

describe('--discovery.dns', () => {
  function config(args: readonly string[]) {
    const argv = ['--datadir', join(dir, 'cfg'), ...args];
    return nodeCommandConfig(parseCommandArgs(argv, NODE_OPTIONS, {}).options);
  }

  it("defaults to the built-in network's tree, as geth", async () => {
    expect((await config(['--network', 'sepolia'])).node.dnsDiscovery).toEqual([
      NETWORK_DNS_TREES.sepolia,
    ]);
    expect(NETWORK_DNS_TREES.mainnet).toBe(
      'enrtree://AKA3AM6LPBYEUDMVNU3BSVQJ5AD45Y7YPOHJLEF6W26QOE4VTUDPE@all.mainnet.ethdisco.net',
    );
  });

  it('is off with "" and with --nodiscover, and takes a list and a server', async () => {
    expect((await config(['--discovery.dns', ''])).node.dnsDiscovery).toBeUndefined();
    expect((await config(['--nodiscover'])).node.dnsDiscovery).toBeUndefined();
    const url = 'enrtree://AKPYQIUQIL7PSIACI32J7FGZW56E5FKHEFCCOFHILBIMW3M6LWXS2@nodes.test';
    const { node } = await config([
      '--discovery.dns',
      `${url},${url.replace('nodes', 'more')}`,
      '--discovery.dns.server',
      '127.0.0.1:5353',
    ]);
    expect(node.dnsDiscovery).toEqual([url, url.replace('nodes', 'more')]);
    expect(node.dnsServers).toEqual(['127.0.0.1:5353']);
  });

  it("reads geth's [Eth] EthDiscoveryURLs from --config; [] turns the lists off", async () => {
    const url = 'enrtree://AKPYQIUQIL7PSIACI32J7FGZW56E5FKHEFCCOFHILBIMW3M6LWXS2@nodes.test';
    const file = join(dir, 'geth.toml');
    await writeFile(file, `[Eth]\nEthDiscoveryURLs = ["${url}"]\n`);
    expect((await config(['--config', file])).node.dnsDiscovery).toEqual([url]);
    await writeFile(file, '[Eth]\nEthDiscoveryURLs = []\n');
    expect((await config(['--config', file])).node.dnsDiscovery).toBeUndefined();
  });

  it.each([
    [['--discovery.dns', 'enrtree://nope'], /--discovery\.dns: invalid url 'enrtree:\/\/nope'/],
    [['--discovery.dns.server', 'not an ip'], /--discovery\.dns\.server: expected ip or ip:port/],
  ])('refuses %j', async (args, message) => {
    const err = await rejectedError(config(args), CliError);
    expect(err.code).toBe('USAGE');
    expect(err.message).toMatch(message);
  });
});
