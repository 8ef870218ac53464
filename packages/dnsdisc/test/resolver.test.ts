import { rejectedError } from '@ethp2p/base/testing';
import { generatePrivateKey } from '@ethp2p/crypto';
import { Enr, Node } from '@ethp2p/enode';
import { afterEach, describe, expect, it } from 'vitest';
import { DnsClient } from '../src/client.ts';
import { DnsDiscError } from '../src/errors.ts';
import { dnsResolver } from '../src/resolver.ts';
import { Tree } from '../src/tree.ts';
import { serveTxt, type TxtServer } from './helpers/dns-server.ts';
import { signingKey } from './vectors/geth.ts';

let server: TxtServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Nodes whose `enr:` text is longer than 255 bytes, so their TXT records arrive split. */
function bigNodes(n: number): Node[] {
  return Array.from({ length: n }, (_, i) =>
    Node.fromEnr(
      Enr.sign(
        {
          seq: 1n,
          entries: { ip: '127.0.0.1', tcp: 30303 + i, udp: 30303 + i, pad: new Uint8Array(120) },
        },
        generatePrivateKey(),
      ),
    ),
  );
}

describe('dnsResolver against a DNS server on loopback', () => {
  it('joins split character-strings and syncs a tree the server serves', async () => {
    const nodes = bigNodes(20);
    expect(nodes.every((n) => (n.record?.encodeText().length ?? 0) > 255)).toBe(true);
    const { tree, url } = Tree.make(3, nodes).sign(signingKey, 'nodes.test');
    server = await serveTxt(tree.toTxt('nodes.test'));
    const client = new DnsClient({
      servers: [server.address],
      rateLimit: Number.POSITIVE_INFINITY,
    });
    const synced = await client.syncTree(url);
    expect(synced.nodes().map(String)).toEqual(tree.nodes().map(String));
    expect(synced.seq).toBe(3);
    expect(server.queried[0]).toBe('nodes.test');
  });

  it('fails a name the server does not have with LOOKUP_FAILED', async () => {
    server = await serveTxt(new Map());
    const resolver = dnsResolver({ servers: [server.address], timeoutMs: 2000 });
    const err = await rejectedError(
      resolver.resolveTxt('missing.test', { signal: new AbortController().signal }),
      DnsDiscError,
    );
    expect(err.code).toBe('LOOKUP_FAILED');
    expect(err.domain).toBe('missing.test');
  });

  it('rejects with the abort reason when aborted', async () => {
    server = await serveTxt(new Map());
    const resolver = dnsResolver({ servers: [server.address] });
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(resolver.resolveTxt('x.test', { signal: controller.signal })).rejects.toThrow(
      'stop',
    );
  });

  it('refuses a server address node:dns cannot use', () => {
    expect(() => dnsResolver({ servers: ['not an address'] })).toThrow(TypeError);
  });
});
