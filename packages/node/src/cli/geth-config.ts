/**
 * `--config <toml>`: the part of go-ethereum's TOML configuration (`geth dumpconfig`) that maps
 * onto `ethp2p node` flags. Command-line flags and `ETHP2P_*` variables win over the file.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { parse, TomlError } from 'smol-toml';
import type { ResolvedOption } from './args.ts';
import { failure, usageError } from './errors.ts';

/** How one geth setting becomes a flag value. */
interface Mapping {
  readonly section: string;
  readonly key: string;
  readonly flag: string;
  readonly kind: 'string' | 'integer' | 'boolean' | 'list';
}

/** The geth settings ethp2p reads, by section and key (geth's `node.Config`, `p2p.Config`). */
export const GETH_CONFIG_KEYS: readonly Mapping[] = [
  { section: 'Node', key: 'DataDir', flag: 'datadir', kind: 'string' },
  { section: 'Node', key: 'UserIdent', flag: 'identity', kind: 'string' },
  { section: 'Node.P2P', key: 'MaxPeers', flag: 'maxpeers', kind: 'integer' },
  { section: 'Node.P2P', key: 'MaxPendingPeers', flag: 'maxpendpeers', kind: 'integer' },
  { section: 'Node.P2P', key: 'NoDiscovery', flag: 'nodiscover', kind: 'boolean' },
  { section: 'Node.P2P', key: 'NoDial', flag: 'nodial', kind: 'boolean' },
  { section: 'Node.P2P', key: 'BootstrapNodes', flag: 'bootnodes', kind: 'list' },
  { section: 'Node.P2P', key: 'StaticNodes', flag: 'static', kind: 'list' },
  { section: 'Node.P2P', key: 'TrustedNodes', flag: 'trusted', kind: 'list' },
  { section: 'Node.P2P', key: 'NetRestrict', flag: 'netrestrict', kind: 'string' },
  { section: 'Eth', key: 'NetworkId', flag: 'networkid', kind: 'integer' },
  { section: 'Eth', key: 'EthDiscoveryURLs', flag: 'discovery.dns', kind: 'list' },
];

/**
 * Reads `path` and returns the flag values it sets, each tagged with its place in the file.
 * `[Node.P2P] ListenAddr` (`":30303"` or `"1.2.3.4:30303"`) sets `--port` and, with a host,
 * `--listen.ip`. Other sections and keys are ignored, as settings ethp2p does not have.
 * @throws {CliError} `FAILED` when the file cannot be read, `USAGE` when it is not TOML or a
 *   setting has the wrong type
 */
export async function readGethConfig(path: string): Promise<Map<string, ResolvedOption>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw failure(`--config ${path}: cannot read (${code})`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = parse(text);
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    throw usageError(`--config ${path}: not TOML (line ${err.line}: ${firstLine(err.message)})`);
  }
  const out = new Map<string, ResolvedOption>();
  for (const m of GETH_CONFIG_KEYS) {
    const raw = section(doc, m.section)?.[m.key];
    if (raw === undefined) continue;
    const origin = `${path} [${m.section}] ${m.key}`;
    out.set(m.flag, { value: convert(raw, m.kind, origin), source: 'config', origin });
  }
  const listen = section(doc, 'Node.P2P')?.ListenAddr;
  if (listen !== undefined) {
    const origin = `${path} [Node.P2P] ListenAddr`;
    const match = typeof listen === 'string' ? /^(.*):([0-9]{1,5})$/.exec(listen) : null;
    if (match === null) throw usageError(`${origin}: expected "[host]:port", got ${show(listen)}`);
    const host = (match[1] ?? '').replace(/^\[(.*)\]$/, '$1');
    out.set('port', { value: match[2] ?? '', source: 'config', origin });
    if (host !== '') out.set('listen.ip', { value: host, source: 'config', origin });
  }
  return out;
}

function section(doc: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  let at: unknown = doc;
  for (const part of name.split('.')) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return typeof at === 'object' && at !== null && !Array.isArray(at)
    ? (at as Record<string, unknown>)
    : undefined;
}

const KIND_NAMES: Readonly<Record<Mapping['kind'], string>> = {
  string: 'a string',
  integer: 'an integer',
  boolean: 'true or false',
  list: 'a list of strings',
};

function convert(raw: unknown, kind: Mapping['kind'], origin: string): string | boolean {
  switch (kind) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      break;
    case 'integer':
      if ((typeof raw === 'number' && Number.isInteger(raw)) || typeof raw === 'bigint') {
        return String(raw);
      }
      break;
    case 'string':
      if (typeof raw === 'string') return raw;
      break;
    case 'list':
      if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return raw.join(',');
      break;
  }
  throw usageError(`${origin}: expected ${KIND_NAMES[kind]}, got ${show(raw)}`);
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
