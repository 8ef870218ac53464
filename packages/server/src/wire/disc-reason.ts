/**
 * Disconnect reasons: the codes a Disconnect message carries, with geth's texts.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#disconnect-0x01
 * @module
 */

/**
 * Every disconnect reason of the spec, plus `Invalid` (0xff), which never goes on the wire: it
 * stands for a Disconnect payload we could not decode (geth `DiscInvalid`). Names follow geth's
 * `Disc*` constants (`DiscQuitting` is `ClientQuitting`).
 */
export const DiscReason = {
  Requested: 0x00,
  NetworkError: 0x01,
  ProtocolError: 0x02,
  UselessPeer: 0x03,
  TooManyPeers: 0x04,
  AlreadyConnected: 0x05,
  IncompatibleVersion: 0x06,
  InvalidIdentity: 0x07,
  ClientQuitting: 0x08,
  UnexpectedIdentity: 0x09,
  Self: 0x0a,
  ReadTimeout: 0x0b,
  SubprotocolError: 0x10,
  Invalid: 0xff,
} as const;

/** A disconnect reason code. */
export type DiscReason = (typeof DiscReason)[keyof typeof DiscReason];

/** The name of a disconnect reason, e.g. `'TooManyPeers'`. */
export type DiscReasonName = keyof typeof DiscReason;

const NAMES = new Map<number, DiscReasonName>(
  (Object.entries(DiscReason) as [DiscReasonName, DiscReason][]).map(([name, code]) => [
    code,
    name,
  ]),
);

const TEXTS = new Map<number, string>([
  [DiscReason.Requested, 'disconnect requested'],
  [DiscReason.NetworkError, 'network error'],
  [DiscReason.ProtocolError, 'breach of protocol'],
  [DiscReason.UselessPeer, 'useless peer'],
  [DiscReason.TooManyPeers, 'too many peers'],
  [DiscReason.AlreadyConnected, 'already connected'],
  [DiscReason.IncompatibleVersion, 'incompatible p2p protocol version'],
  [DiscReason.InvalidIdentity, 'invalid node identity'],
  [DiscReason.ClientQuitting, 'client quitting'],
  [DiscReason.UnexpectedIdentity, 'unexpected identity'],
  [DiscReason.Self, 'connected to self'],
  [DiscReason.ReadTimeout, 'read timeout'],
  [DiscReason.SubprotocolError, 'subprotocol error'],
  [DiscReason.Invalid, 'invalid disconnect reason'],
]);

/** Whether `code` is one of the {@link DiscReason} codes. */
export function isDiscReason(code: unknown): code is DiscReason {
  return typeof code === 'number' && NAMES.has(code);
}

/** The name of `reason` (`'Requested'`, ...), or `'Invalid'` for a code not in the table. */
export function discReasonName(reason: number): DiscReasonName {
  return NAMES.get(reason) ?? 'Invalid';
}

/** geth's text for `reason` (`'too many peers'`), or `'unknown disconnect reason N'`. */
export function discReasonText(reason: number): string {
  return TEXTS.get(reason) ?? `unknown disconnect reason ${reason}`;
}
