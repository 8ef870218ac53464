/**
 * The flags of `ethp2p node` and how they become {@link FullNodeOptions}.
 * @module
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { dnsResolver, parseTreeUrl } from '@ethp2p/dnsdisc';
import { type Node, normalizeIp } from '@ethp2p/enode';
import type { ChainReader } from '@ethp2p/eth';
import { NetRestrict } from '@ethp2p/server';
import { DEFAULT_METRICS_ADDR, DEFAULT_METRICS_PORT } from '../metrics/metrics-server.ts';
import { parseNat } from '../nat/parse.ts';
import {
  loadChainFiles,
  NETWORK_NAMES,
  type NetworkName,
  networkChain,
  openChainFiles,
} from '../node/chain.ts';
import {
  clientName,
  DEFAULT_LISTEN_IP,
  DEFAULT_PORT,
  type FullNodeOptions,
} from '../node/config.ts';
import { defaultDatadir } from '../node/datadir.ts';
import { NETWORK_DNS_TREES } from '../node/dns-trees.ts';
import { DEFAULT_VERBOSITY, LOG_FORMAT, type LogFormat } from '../node/logger.ts';
import { STATUS_INTERVAL_MS } from '../node/status.ts';
import type { OptionSpecs, OptionValues } from './args.ts';
import { formatDuration } from './durations.ts';
import { failure, usageError } from './errors.ts';
import { readGethConfig } from './geth-config.ts';
import { GETH_KEY_OPTIONS, identityOf, nodeKeyOf } from './geth-flags.ts';
import { parseNodeList, resolveHostname } from './node-arg.ts';
import { RPC_NODE_OPTIONS, rpcOptionsOf } from './rpc-options.ts';

/** The flags of `ethp2p node`. */
export const NODE_OPTIONS: OptionSpecs = {
  config: {
    type: 'string',
    valueName: 'file',
    description:
      'geth TOML config ([Node] DataDir, UserIdent; [Node.P2P] MaxPeers, ListenAddr, BootstrapNodes, ...; [Eth] NetworkId, EthDiscoveryURLs); flags win',
  },
  network: {
    type: 'string',
    valueName: 'name',
    default: 'mainnet',
    description: `built-in network: ${NETWORK_NAMES.join(', ')} (bootnodes, network ID, genesis, forks)`,
  },
  genesis: {
    type: 'string',
    valueName: 'file',
    description: 'genesis.json of a custom chain (instead of --network)',
  },
  chain: {
    type: 'string',
    valueName: 'file',
    description: 'chain.rlp of blocks after --genesis (geth export format)',
  },
  networkid: {
    type: 'string',
    valueName: 'id',
    description: "network ID for Status (default: the network's, or the genesis chain ID)",
  },
  datadir: {
    type: 'string',
    valueName: 'dir',
    description: 'data directory: nodekey, nodes/ (default ~/.ethp2p/<network>)',
  },
  'listen.ip': {
    type: 'string',
    valueName: 'ip',
    default: DEFAULT_LISTEN_IP,
    description: 'IP address to listen on, TCP and UDP',
  },
  port: {
    type: 'string',
    valueName: 'port',
    default: String(DEFAULT_PORT),
    description: 'RLPx (TCP) port; 0 picks a free one',
  },
  'discovery.port': {
    type: 'string',
    valueName: 'port',
    description: 'discovery (UDP) port (default: same as --port)',
  },
  maxpeers: {
    type: 'string',
    valueName: 'n',
    default: '50',
    description: 'most connected peers',
  },
  maxpendpeers: {
    type: 'string',
    valueName: 'n',
    default: '0',
    description: 'most connections in their handshake at once; 0 for the default, 50',
  },
  'maxpendpeers.perip': {
    type: 'string',
    valueName: 'n',
    default: '0',
    description:
      'most connections in their handshake at once from one IP, loopback and LAN included; 0 for the default, 10',
  },
  'handshake.idletimeout': {
    type: 'string',
    valueName: 'duration',
    default: '0',
    description:
      'close an inbound connection that sends nothing for this long during its handshake; 0 for the default, 2s',
  },
  ...GETH_KEY_OPTIONS,
  bootnodes: {
    type: 'string',
    valueName: 'list',
    description: "comma-separated enode:// or enr: discovery bootnodes (default: the network's)",
  },
  'discovery.dns': {
    type: 'string',
    valueName: 'urls',
    description:
      'comma-separated enrtree:// DNS node lists to dial nodes from (default: the network\'s; "" for none)',
  },
  'discovery.dns.server': {
    type: 'string',
    valueName: 'ip:port',
    description: "DNS server for the node lists (default: the system's)",
  },
  static: {
    type: 'string',
    valueName: 'list',
    description: 'comma-separated nodes to stay connected to',
  },
  trusted: {
    type: 'string',
    valueName: 'list',
    description: 'comma-separated nodes admitted even when full',
  },
  netrestrict: {
    type: 'string',
    valueName: 'cidrs',
    description:
      'comma-separated CIDR masks peers and discovery nodes must be in (e.g. 10.0.0.0/8)',
  },
  nat: {
    type: 'string',
    valueName: 'mode',
    default: 'none',
    description:
      'NAT port mapping: any (UPnP or NAT-PMP, first to answer), upnp, pmp (or pmp:<gateway>), ' +
      'extip:<ip> (advertise that IP, map nothing), stun:<ip>:<port> (learn the IP from a STUN ' +
      'server), none (advertise the listen IP)',
  },
  nodiscover: { type: 'boolean', description: 'no discovery: static and inbound peers only' },
  'discovery.v4': {
    type: 'string',
    valueName: 'true|false',
    default: 'true',
    description: 'run Node Discovery v4 (on the discovery port, beside v5)',
  },
  'discovery.v5': {
    type: 'string',
    valueName: 'true|false',
    default: 'true',
    description: 'run Node Discovery v5 (on the discovery port, beside v4)',
  },
  'discovery.workers': {
    type: 'string',
    valueName: 'n|auto',
    default: 'auto',
    description:
      'worker threads for discovery v4 signatures: 0 keeps them on the main thread, auto is ' +
      'one per core (1 to 8)',
  },
  v5disc: { type: 'boolean', description: "geth's older switch for discovery v5 (on by default)" },
  nodial: { type: 'boolean', description: 'never dial; only accept inbound peers' },
  verbosity: {
    type: 'string',
    valueName: '0-5',
    default: String(DEFAULT_VERBOSITY),
    description: 'log level: 0 silent, 1 error, 2 warn, 3 info, 4 debug, 5 all',
  },
  'log.format': {
    type: 'string',
    valueName: 'text|json',
    default: LOG_FORMAT.TEXT,
    description: 'format of log and status lines',
  },
  'log.file': {
    type: 'string',
    valueName: 'path',
    description: 'write log lines to this file (appended) instead of stderr',
  },
  metrics: {
    type: 'boolean',
    description:
      'serve Prometheus metrics at /debug/metrics/prometheus and /metrics (own HTTP server)',
  },
  'metrics.addr': {
    type: 'string',
    valueName: 'ip',
    default: DEFAULT_METRICS_ADDR,
    description: 'metrics HTTP server listening interface (with --metrics)',
  },
  'metrics.port': {
    type: 'string',
    valueName: 'port',
    default: String(DEFAULT_METRICS_PORT),
    description: 'metrics HTTP server listening port (with --metrics); 0 picks a free one',
  },
  'status.interval': {
    type: 'string',
    valueName: 'duration',
    default: formatDuration(STATUS_INTERVAL_MS),
    description: 'time between status lines; 0 for none',
  },
  ...RPC_NODE_OPTIONS,
};

/** What the flags say besides the node's own options. */
export interface NodeCommandConfig {
  readonly node: Omit<FullNodeOptions, 'logger' | 'clock'>;
  readonly verbosity: number;
  readonly logFormat: LogFormat;
  /** `--log.file`: where log lines go instead of stderr, and the flag or variable it came from. */
  readonly logFile?: { readonly path: string; readonly origin: string };
}

/**
 * Reads every flag, checks the chain files (read-only; the node executes them into its datadir
 * when it starts) and resolves node lists.
 * @throws {CliError} `USAGE` for a bad flag value, `FAILED` for a bad node in a list;
 *   `NodeError` `BAD_GENESIS`/`BAD_CHAIN` for the chain files
 */
export async function nodeCommandConfig(given: OptionValues): Promise<NodeCommandConfig> {
  const configPath = given.string('config');
  const o = configPath === undefined ? given : given.withLayer(await readGethConfig(configPath));
  const network = networkOf(o);
  const networkId = networkIdOf(o);
  const genesisPath = o.string('genesis');
  const chainPath = o.string('chain');
  if (chainPath !== undefined && genesisPath === undefined) {
    throw usageError(`${o.origin('chain')} needs --genesis: a chain.rlp continues a genesis.json`);
  }
  if (genesisPath !== undefined && o.isSet('network')) {
    throw usageError(`${o.origin('network')} and ${o.origin('genesis')} exclude each other`);
  }
  const files =
    genesisPath === undefined
      ? undefined
      : {
          genesisPath,
          ...(chainPath === undefined ? {} : { chainPath }),
          ...(networkId === undefined ? {} : { networkId }),
        };
  // A custom chain is checked here (read only, nothing executed); the node then opens it in its
  // datadir, where it executes what is not stored yet.
  const chain: ChainReader =
    files === undefined ? networkChain(network, networkId) : await loadChainFiles(files);
  const datadirName =
    genesisPath === undefined ? network : `custom-${chain.config.chainId.toString()}`;
  const discoveryV4 = switchOf(o, 'discovery.v4');
  const discoveryV5 = switchOf(o, 'discovery.v5') || o.boolean('v5disc');
  const discovery = !o.boolean('nodiscover') && (discoveryV4 || discoveryV5);
  const listed = o.isSet('bootnodes') ? o.list('bootnodes') : [...(chain.config.bootnodes ?? [])];
  const bootnodes = discovery ? await nodesOf(o, 'bootnodes', listed, 'udp') : [];
  const dns = discovery ? dnsTreesOf(o, genesisPath === undefined ? network : undefined) : [];
  const dnsServer = dnsServerOf(o);
  // geth's V5Bootnodes, unless --bootnodes replaces both lists (setBootstrapNodesV5).
  const v5Listed = o.isSet('bootnodes') || !discoveryV5 ? [] : (chain.config.v5Bootnodes ?? []);
  const v5Bootnodes = discovery ? await nodesOf(o, 'bootnodes', v5Listed, 'udp') : [];
  const discoveryPort = o.port('discovery.port');
  const discoveryWorkers = discoveryWorkersOf(o);
  const netRestrict = netRestrictOf(o);
  const privateKey = await nodeKeyOf(o);
  const identity = identityOf(o);
  const maxPending = o.integer('maxpendpeers', 0, 100_000);
  const maxPendingPerIp = o.integer('maxpendpeers.perip', 0, 100_000);
  const handshakeIdle = handshakeIdleOf(o);
  const logFile = o.string('log.file');
  return {
    node: {
      datadir: await datadirOf(o, datadirName),
      chain,
      ...(files === undefined
        ? {}
        : { openChain: (path: string) => openChainFiles({ ...files, path }) }),
      ...(networkId === undefined ? {} : { networkId }),
      listenIp: listenIpOf(o),
      port: o.port('port') ?? DEFAULT_PORT,
      ...(discoveryPort === undefined ? {} : { discoveryPort }),
      discovery,
      discoveryV4,
      discoveryV5,
      discoveryWorkers,
      bootnodes,
      ...(dns.length === 0 ? {} : { dnsDiscovery: dns }),
      ...(dnsServer === undefined ? {} : { dnsServers: [dnsServer] }),
      v5Bootnodes,
      staticNodes: await nodesOf(o, 'static', o.list('static'), 'tcp'),
      trustedNodes: await nodesOf(o, 'trusted', o.list('trusted'), undefined),
      ...(netRestrict === undefined ? {} : { netRestrict }),
      nat: natOf(o),
      maxPeers: o.integer('maxpeers', 0, 100_000) ?? 50,
      ...(maxPending ? { maxPendingPeers: maxPending } : {}),
      ...(maxPendingPerIp ? { maxPendingPerIp } : {}),
      ...(handshakeIdle ? { handshakeIdleTimeoutMs: handshakeIdle } : {}),
      ...(privateKey === undefined ? {} : { privateKey }),
      ...(identity === undefined ? {} : { name: clientName(identity) }),
      noDial: o.boolean('nodial'),
      statusIntervalMs: o.duration('status.interval') ?? STATUS_INTERVAL_MS,
      ...metricsOf(o),
      ...rpcOptionsOf(o),
    },
    verbosity: o.integer('verbosity', 0, 5) ?? DEFAULT_VERBOSITY,
    logFormat: logFormatOf(o),
    ...(logFile === undefined ? {} : { logFile: { path: logFile, origin: o.origin('log.file') } }),
  };
}

/**
 * `--datadir`, or the network's default; refused when it, or the nearest of its parents that
 * exists, is not a directory (the node would fail with EEXIST or ENOTDIR creating it).
 * @throws {CliError} `FAILED` naming the flag and the path
 */
async function datadirOf(o: OptionValues, network: string): Promise<string> {
  const datadir = o.string('datadir') ?? defaultDatadir(network);
  for (let path = resolve(datadir); ; path = dirname(path)) {
    // Missing, below a file (ENOTDIR) or unreadable: look at the parent; the node reports the rest.
    const found = await stat(path).catch(() => undefined);
    if (found?.isDirectory()) return datadir;
    if (found !== undefined) {
      const what = path === resolve(datadir) ? 'not a directory' : `${path} is not a directory`;
      throw failure(`${o.origin('datadir')} ${datadir}: ${what}`);
    }
    if (dirname(path) === path) return datadir;
  }
}

function networkOf(o: OptionValues): NetworkName {
  const name = o.string('network') ?? 'mainnet';
  const found = NETWORK_NAMES.find((n) => n === name.toLowerCase());
  if (found === undefined) {
    throw usageError(
      `${o.origin('network')}: expected one of ${NETWORK_NAMES.join(', ')}, got '${name}' (use --genesis for a custom chain)`,
    );
  }
  return found;
}

/**
 * `--discovery.dns`: its URLs, none for `""`, else the built-in network's list (geth
 * `SetDNSDiscoveryDefaults`). `--nodiscover` turns it off as in geth (the caller skips this).
 * @throws {CliError} `USAGE` for a bad URL
 */
function dnsTreesOf(o: OptionValues, network: NetworkName | undefined): string[] {
  const urls = o.isSet('discovery.dns')
    ? o.list('discovery.dns')
    : network === undefined
      ? []
      : [NETWORK_DNS_TREES[network]];
  for (const url of urls) {
    try {
      parseTreeUrl(url);
    } catch (err) {
      throw usageError(
        `${o.origin('discovery.dns')}: invalid url '${url}': ${(err as Error).message}`,
      );
    }
  }
  return urls;
}

/** `--discovery.dns.server`, checked as `node:dns` would take it. @throws {CliError} `USAGE` */
function dnsServerOf(o: OptionValues): string | undefined {
  const server = o.string('discovery.dns.server');
  if (server === undefined) return undefined;
  try {
    dnsResolver({ servers: [server] });
  } catch {
    throw usageError(
      `${o.origin('discovery.dns.server')}: expected ip or ip:port, got '${server}'`,
    );
  }
  return server;
}

function networkIdOf(o: OptionValues): bigint | undefined {
  const text = o.string('networkid');
  if (text === undefined) return undefined;
  const id = /^[0-9]{1,20}$/.test(text) ? BigInt(text) : 0n;
  if (id < 1n || id >= 2n ** 64n) {
    throw usageError(`${o.origin('networkid')}: expected an integer in 1-2^64, got '${text}'`);
  }
  return id;
}

/** Longest `--handshake.idletimeout` taken: past it a stalled handshake is no longer idle. */
const MAX_HANDSHAKE_IDLE_MS = 3_600_000;

/** `--handshake.idletimeout` in whole ms, or undefined for the server's default (`0`). */
function handshakeIdleOf(o: OptionValues): number | undefined {
  const ms = o.duration('handshake.idletimeout');
  if (ms === undefined || ms === 0) return undefined;
  if (ms > MAX_HANDSHAKE_IDLE_MS) {
    throw usageError(
      `${o.origin('handshake.idletimeout')}: expected at most 1h, got '${o.string('handshake.idletimeout')}'`,
    );
  }
  return Math.ceil(ms);
}

function listenIpOf(o: OptionValues): string {
  const text = o.string('listen.ip') ?? DEFAULT_LISTEN_IP;
  const ip = normalizeIp(text);
  if (ip === undefined) {
    throw usageError(`${o.origin('listen.ip')}: expected an IP address, got '${text}'`);
  }
  return ip;
}

function natOf(o: OptionValues): string {
  const text = o.string('nat') ?? 'none';
  try {
    parseNat(text);
  } catch (err) {
    throw usageError(`${o.origin('nat')}: ${(err as Error).message.replace(/^nat: /, '')}`);
  }
  return text;
}

function netRestrictOf(o: OptionValues): string[] | undefined {
  const cidrs = o.list('netrestrict');
  if (cidrs.length === 0) return undefined;
  try {
    new NetRestrict(cidrs);
  } catch (err) {
    throw usageError(`${o.origin('netrestrict')}: ${(err as Error).message}`);
  }
  return cidrs;
}

/** `--metrics` with its address and port, or nothing when off. */
function metricsOf(o: OptionValues): Pick<FullNodeOptions, 'metrics'> {
  if (!o.boolean('metrics')) return {};
  const text = o.string('metrics.addr') ?? DEFAULT_METRICS_ADDR;
  const host = normalizeIp(text);
  if (host === undefined) {
    throw usageError(`${o.origin('metrics.addr')}: expected an IP address, got '${text}'`);
  }
  return { metrics: { host, port: o.port('metrics.port') ?? DEFAULT_METRICS_PORT } };
}

/** `--discovery.workers`: `auto`, or a count from 0 to 64. @throws {CliError} `USAGE` */
function discoveryWorkersOf(o: OptionValues): number | 'auto' {
  if (o.string('discovery.workers') === 'auto') return 'auto';
  return o.integer('discovery.workers', 0, 64) ?? 'auto';
}

/** A `true|false` flag such as `--discovery.v5 false`. */
function switchOf(o: OptionValues, name: 'discovery.v4' | 'discovery.v5'): boolean {
  const text = o.string(name) ?? 'true';
  if (text !== 'true' && text !== 'false') {
    throw usageError(`${o.origin(name)}: expected true or false, got '${text}'`);
  }
  return text === 'true';
}

function logFormatOf(o: OptionValues): LogFormat {
  const text = o.string('log.format') ?? LOG_FORMAT.TEXT;
  if (text !== LOG_FORMAT.TEXT && text !== LOG_FORMAT.JSON) {
    throw usageError(`${o.origin('log.format')}: expected text or json, got '${text}'`);
  }
  return text;
}

/**
 * The nodes of a list flag, DNS names resolved; `port` says which port each must have.
 * @throws {CliError} `FAILED` naming the flag and the bad entry
 */
async function nodesOf(
  o: OptionValues,
  flag: string,
  texts: readonly string[],
  port: 'udp' | 'tcp' | undefined,
): Promise<Node[]> {
  const what = `${o.origin(flag)} entry`;
  const nodes = await Promise.all(parseNodeList(texts, what).map(resolveHostname));
  if (port === undefined) return nodes;
  for (const n of nodes) {
    if (n.ip === undefined || n[port] === undefined || n[port] === 0) {
      const url = n.enodeUrl();
      throw failure(
        `invalid ${what} '${url.slice(0, 40)}...': it needs an IP address and a ${port.toUpperCase()} port`,
      );
    }
  }
  return nodes;
}
