/**
 * The one NAT seam (geth `p2p/nat.Interface`): something that knows our external IP and may map
 * ports on a gateway.
 * @module
 */

/** The transport a port mapping is for. */
export type NatProtocol = 'tcp' | 'udp';

/** A port mapping: `extPort` on the gateway forwarded to our `intPort` for `lifetimeMs`. */
export interface NatMapping {
  readonly protocol: NatProtocol;
  readonly extPort: number;
  readonly intPort: number;
  /** The description the gateway shows (UPnP). */
  readonly name: string;
  readonly lifetimeMs: number;
}

/** Options of every NAT request. */
export interface NatRequestOptions {
  readonly signal?: AbortSignal;
}

/**
 * A way to learn the external IP and map ports. Implementations are stateless towards the
 * caller: the {@link PortMapper} owns the renewals. Every method rejects with a `NatError`
 * (never throws synchronously and never crashes on a bad gateway answer).
 */
export interface NatInterface {
  /** Whether {@link addMapping} asks a gateway (false for extip and STUN, which only know an IP). */
  readonly mapsPorts: boolean;
  /** The gateway's Internet-facing IP. */
  externalIp(options?: NatRequestOptions): Promise<string>;
  /** Asks for `mapping`; resolves with the external port the gateway chose (it may differ). */
  addMapping(mapping: NatMapping, options?: NatRequestOptions): Promise<number>;
  /** Removes a mapping made by {@link addMapping} (with the external port it resolved with). */
  deleteMapping(mapping: NatMapping, options?: NatRequestOptions): Promise<void>;
  /** Releases what the method holds (sockets, gateway handles). Safe to call twice. */
  close(): Promise<void>;
  /** The method for logs: `extip:1.2.3.4`, `natpmp(192.168.1.1)`, `upnp`. */
  toString(): string;
}
