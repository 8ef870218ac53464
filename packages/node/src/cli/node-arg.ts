/**
 * Node and address arguments: `enode://` URLs and `enr:` records, comma-separated node lists,
 * and `ip:port` listen addresses.
 * @module
 */
import { lookup } from 'node:dns/promises';
import { EnodeUrlError, EnrError, Node, normalizeIp } from '@ethp2p/enode';
import { failure, usageError } from './errors.ts';

/**
 * A node from an `enode://` URL or `enr:` text (surrounding whitespace is ignored).
 * @throws {CliError} `FAILED` naming `what` when the text is neither
 */
export function parseNodeArg(text: string, what = 'node'): Node {
  const trimmed = text.trim();
  try {
    return Node.parse(trimmed);
  } catch (err) {
    if (err instanceof EnodeUrlError || err instanceof EnrError) {
      const reason = err.code === 'MISSING_PREFIX' ? missingPrefix(trimmed) : err.message;
      throw failure(`invalid ${what} '${abbreviate(trimmed)}': ${reason}`, { cause: err });
    }
    throw err;
  }
}

/** What a node argument without `enode://` or `enr:` should have been. */
function missingPrefix(text: string): string {
  const bareKey = /^[0-9a-fA-F]{128}@/.test(text)
    ? ' (add enode:// in front of <key>@host:port)'
    : '';
  return `expected an enode:// URL or an enr: record${bareKey}`;
}

/** The nodes of a comma-separated list (empty items are skipped). @throws {CliError} as {@link parseNodeArg} */
export function parseNodeList(texts: readonly string[], what = 'node'): Node[] {
  return texts.map((t) => parseNodeArg(t, what));
}

/**
 * `node` with its DNS name (from an enode URL) resolved to an IP address; other nodes as they are.
 * @throws {CliError} `FAILED` when the name does not resolve
 */
export async function resolveHostname(node: Node): Promise<Node> {
  if (node.ip !== undefined || node.hostname === undefined) return node;
  let address: string;
  try {
    ({ address } = await lookup(node.hostname));
  } catch (err) {
    throw failure(`cannot resolve host '${node.hostname}': ${(err as Error).message}`, {
      cause: err,
    });
  }
  return Node.fromPublicKey(node.publicKey, {
    ip: address,
    ...(node.tcp === undefined ? {} : { tcp: node.tcp }),
    ...(node.udp === undefined ? {} : { udp: node.udp }),
  });
}

/** A listen address. */
export interface HostPort {
  readonly address: string;
  readonly port: number;
}

/**
 * Parses `ip:port`, `[ipv6]:port` or `:port` (all interfaces: `0.0.0.0`).
 * @throws {CliError} `USAGE` naming `origin` (the flag) otherwise
 */
export function parseHostPort(text: string, origin: string): HostPort {
  const bad = () =>
    usageError(`${origin}: expected ip:port such as 127.0.0.1:30301, got '${text}'`);
  const colon = text.lastIndexOf(':');
  if (colon < 0) throw bad();
  let host = text.slice(0, colon);
  const portText = text.slice(colon + 1);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  else if (host.includes(':')) throw bad();
  const address = host === '' ? '0.0.0.0' : normalizeIp(host);
  if (address === undefined || !/^[0-9]{1,5}$/.test(portText)) throw bad();
  const port = Number(portText);
  if (port > 0xffff) throw bad();
  return { address, port };
}

function abbreviate(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 37)}...`;
}
