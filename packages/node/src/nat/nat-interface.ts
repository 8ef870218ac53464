/**
 * The one NAT seam (geth `p2p/nat.Interface`): something that knows our external IP and may map
 * ports on a gateway.
 * @module
 */

/** The transport a port mapping is for. */
export type NatProtocol = 'tcp' | 'udp';

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
  /**
   * Maps `extPort` on the gateway to our `intPort` for `lifetimeMs`; resolves with the external
   * port the gateway chose (it may differ from `extPort`).
   */
  addMapping(
    protocol: NatProtocol,
    extPort: number,
    intPort: number,
    name: string,
    lifetimeMs: number,
    options?: NatRequestOptions,
  ): Promise<number>;
  /** Removes a mapping made by {@link addMapping}. */
  deleteMapping(
    protocol: NatProtocol,
    extPort: number,
    intPort: number,
    options?: NatRequestOptions,
  ): Promise<void>;
  /** Releases what the method holds (sockets, gateway handles). Safe to call twice. */
  close(): Promise<void>;
  /** The method for logs: `extip:1.2.3.4`, `natpmp(192.168.1.1)`, `upnp`. */
  toString(): string;
}
