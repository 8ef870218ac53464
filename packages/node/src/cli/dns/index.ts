/**
 * `ethp2p dns sign|to-txt|sync`: build, sign, export and download EIP-1459 trees (geth
 * `devp2p dns`).
 * @module
 */
import { basename, resolve } from 'node:path';
import { DnsClient, parseTreeUrl } from '@ethp2p/dnsdisc';
import { loadNodeKey } from '@ethp2p/enode';
import type { CommandSpec, GroupSpec } from '../command.ts';
import { writeTextFile } from '../discv4/nodeset-file.ts';
import { failure, usageError } from '../errors.ts';
import {
  buildTree,
  loadTreeDefinition,
  signedTree,
  writeTreeMeta,
  writeTreeNodes,
} from './tree-dir.ts';
import { txtJson, txtZone } from './zone.ts';

/** The `dns` group. */
export const DNS_GROUP: GroupSpec = {
  path: ['dns'],
  summary:
    'DNS node lists (EIP-1459): sign a tree from nodes.json, export its TXT records, sync one',
  examples: [
    'ethp2p dns sign ./all.nodes.example.org --key dns.key',
    'ethp2p dns to-txt ./all.nodes.example.org --zone',
    'ethp2p dns sync enrtree://<key>@all.nodes.example.org',
  ],
};

const TREE_DIR = {
  name: 'dir',
  required: true,
  description: 'tree directory: nodes.json, and enrtree-info.json once signed',
};

/** `dns sign`. */
export const DNS_SIGN_COMMAND: CommandSpec = {
  path: ['dns', 'sign'],
  summary: 'Build the tree of <dir>/nodes.json, sign it and write <dir>/enrtree-info.json',
  description:
    'nodes.json is a node set as discv4 crawl writes it (nodeset filter selects nodes); links\n' +
    "to other trees come from enrtree-info.json's 'links'. The domain is --domain, else the\n" +
    "domain of the 'url' already in enrtree-info.json, else the directory's name. The sequence\n" +
    'number is --seq, else one more than the last. The key is a node key file (64 hex\n' +
    "characters, 'ethp2p key generate'), not geth's encrypted keystore. Prints the tree's URL.",
  args: [TREE_DIR],
  options: {
    key: { type: 'string', valueName: 'file', description: 'signing key file (64 hex characters)' },
    domain: {
      type: 'string',
      valueName: 'name',
      description: 'domain name of the tree',
      env: false,
    },
    seq: { type: 'string', valueName: 'n', description: 'sequence number of the tree', env: false },
  },
  examples: [
    'ethp2p dns sign ./all.nodes.example.org --key dns.key',
    'ethp2p dns sign ./tree --key dns.key --domain nodes.example.org --seq 7',
  ],
  async run(ctx) {
    const dir = ctx.args[0] ?? '';
    const keyFile = ctx.options.string('key');
    if (keyFile === undefined) throw usageError('give the signing key with --key <file>');
    const def = await loadTreeDefinition(dir);
    const domain =
      ctx.options.string('domain') ??
      (def.meta.url === undefined ? basename(resolve(dir)) : parseTreeUrl(def.meta.url).domain);
    const seq = ctx.options.integer('seq', 0, Number.MAX_SAFE_INTEGER) ?? def.meta.seq + 1;
    const key = await loadNodeKey(keyFile);
    let signed: ReturnType<ReturnType<typeof buildTree>['sign']>;
    try {
      signed = buildTree(seq, def.nodes, def.meta.links).sign(key, domain);
    } catch (err) {
      throw failure(`cannot sign for domain '${domain}': ${(err as Error).message}`, {
        cause: err,
      });
    }
    await writeTreeMeta(dir, signed.url, signed.tree, Date.now());
    ctx.out(signed.url);
  },
};

/** `dns to-txt`. */
export const DNS_TO_TXT_COMMAND: CommandSpec = {
  path: ['dns', 'to-txt'],
  summary: 'Print or write the TXT records of a signed tree, as JSON or as a zone file',
  description:
    "The records of the tree 'dns sign' signed: the root at the domain and every entry at\n" +
    '<hash>.<domain>. JSON maps names to texts (as geth); --zone writes zone file lines with\n' +
    'TTLs of 30 min (root) and 4 weeks (entries), texts split into strings of 255 bytes.',
  args: [
    TREE_DIR,
    { name: 'out', required: false, description: 'file to write (default: print the records)' },
  ],
  options: {
    zone: { type: 'boolean', description: 'zone file lines instead of JSON', env: false },
  },
  examples: [
    'ethp2p dns to-txt ./all.nodes.example.org txt.json',
    'ethp2p dns to-txt ./all.nodes.example.org --zone > tree.zone',
  ],
  async run(ctx) {
    const [dir = '', out] = ctx.args;
    const { domain, tree } = signedTree(dir, await loadTreeDefinition(dir));
    const records = tree.toTxt(domain);
    const text = ctx.options.boolean('zone') ? txtZone(records, domain) : txtJson(records);
    if (out === undefined) ctx.io.stdout.write(text);
    else await writeTextFile(out, text);
  },
};

/** `dns sync`. */
export const DNS_SYNC_COMMAND: CommandSpec = {
  path: ['dns', 'sync'],
  summary: 'Download and verify the tree at an enrtree:// URL into a directory',
  description:
    'Every entry is fetched and checked: the root signature against the key in the URL, each\n' +
    "entry's hash against its name. Writes nodes.json and enrtree-info.json to [outdir]\n" +
    "(default: the tree's domain) and prints how many nodes and links it has.",
  args: [
    { name: 'url', required: true, description: 'enrtree://<key>@<domain>' },
    {
      name: 'outdir',
      required: false,
      description: 'where to write the tree (default: the domain)',
    },
  ],
  options: {
    'dns.server': {
      type: 'string',
      valueName: 'ip:port',
      description: "DNS server to ask (default: the system's)",
    },
    timeout: {
      type: 'string',
      valueName: 'duration',
      default: '5s',
      description: 'time of one DNS lookup',
    },
    rate: {
      type: 'string',
      valueName: 'n',
      default: '3',
      description: 'most DNS lookups a second (3, as geth)',
      env: false,
    },
  },
  examples: [
    'ethp2p dns sync enrtree://AKA3AM6LPBYEUDMVNU3BSVQJ5AD45Y7YPOHJLEF6W26QOE4VTUDPE@all.mainnet.ethdisco.net',
    'ethp2p dns sync enrtree://<key>@nodes.test ./tree --dns.server 127.0.0.1:5353',
  ],
  async run(ctx) {
    const [url = '', outdir] = ctx.args;
    let domain: string;
    try {
      domain = parseTreeUrl(url).domain;
    } catch (err) {
      throw usageError(`invalid enrtree url: ${(err as Error).message}`, { cause: err });
    }
    const server = ctx.options.string('dns.server');
    let client: DnsClient;
    try {
      client = new DnsClient({
        timeoutMs: ctx.options.duration('timeout') ?? 5000,
        rateLimit: ctx.options.integer('rate', 1, 100_000) ?? 3,
        ...(server === undefined ? {} : { servers: [server] }),
        logger: ctx.logger,
      });
    } catch (err) {
      throw usageError(`${ctx.options.origin('dns.server')}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    let tree: Awaited<ReturnType<DnsClient['syncTree']>>;
    // The rate limit waits on the system clock, whose timers are unref'd: with no query in
    // flight nothing else would keep the process alive, and it would exit mid-sync.
    const keepAlive = setInterval(() => undefined, 60_000);
    try {
      tree = await client.syncTree(url, { signal: ctx.signal });
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      throw failure(`sync failed: ${(err as Error).message}`, { cause: err });
    } finally {
      clearInterval(keepAlive);
    }
    const dir = outdir ?? domain;
    await writeTreeMeta(dir, url, tree, Date.now());
    await writeTreeNodes(dir, tree);
    ctx.out(
      `${tree.nodes().length} nodes, ${tree.links().length} links, seq ${tree.seq} in ${dir}`,
    );
  },
};

/** The `dns` commands. */
export const DNS_COMMANDS: readonly CommandSpec[] = [
  DNS_SIGN_COMMAND,
  DNS_TO_TXT_COMMAND,
  DNS_SYNC_COMMAND,
];
