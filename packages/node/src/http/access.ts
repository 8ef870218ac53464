/**
 * Who may use the RPC server from a browser, as geth checks it (geth `node/rpcstack.go`
 * `virtualHostHandler`, `rpc/websocket.go` `wsHandshakeValidator`, rs/cors): the Host header
 * against `--http.vhosts`, the Origin against `--http.corsdomain` and `--ws.origins`. Pure.
 * @module
 */
import { isIP } from 'node:net';

/** geth's `--http.vhosts` default. */
export const DEFAULT_VHOSTS: readonly string[] = ['localhost'];

/**
 * Whether a request with Host header `host` may be served: no Host, an IP address, `*` in
 * `vhosts`, or its name (without the port, lower case) in `vhosts`.
 */
export function hostAllowed(host: string | undefined, vhosts: readonly string[]): boolean {
  if (host === undefined || host === '') return true;
  const name = hostName(host).toLowerCase();
  if (isIP(name) !== 0) return true;
  return vhosts.some((v) => v === '*' || v.toLowerCase() === name);
}

/** The host of a Host header value: `[::1]:8545` → `::1`, `localhost:8545` → `localhost`. */
function hostName(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host : host.slice(1, end);
  }
  const colon = host.indexOf(':');
  // Two or more colons: an IPv6 address without brackets (or junk, which matches no vhost).
  return colon < 0 || host.indexOf(':', colon + 1) >= 0 ? host : host.slice(0, colon);
}

/**
 * Whether `origin` matches one of `allowed`: `*`, or a rule `scheme://host[:port]` where a rule
 * without a port allows any port and one without a scheme any scheme (geth `ruleAllowsOrigin`).
 */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  const o = parseOrigin(origin.toLowerCase());
  if (o === undefined) return false;
  return allowed.some((rule) => {
    if (rule === '*') return true;
    const r = parseOrigin(rule.toLowerCase());
    if (r === undefined) return false;
    return (
      r.host === o.host &&
      (r.scheme === undefined || r.scheme === o.scheme) &&
      (r.port === undefined || r.port === o.port)
    );
  });
}

interface Origin {
  readonly scheme: string | undefined;
  readonly host: string;
  readonly port: string | undefined;
}

function parseOrigin(text: string): Origin | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//.test(text);
  try {
    const url = new URL(withScheme ? text : `http://${text}`);
    return {
      scheme: withScheme ? url.protocol.slice(0, -1) : undefined,
      host: url.hostname,
      port: /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:\[[^\]]*\]|[^/:]*):(\d+)/.exec(text)?.[1],
    };
  } catch {
    return undefined;
  }
}

/**
 * The WebSocket origins allowed when `--ws.origins` is not given: `http://localhost` and
 * `http://<hostname>`, as geth.
 */
export function defaultWsOrigins(hostname: string): string[] {
  return ['http://localhost', `http://${hostname}`];
}
