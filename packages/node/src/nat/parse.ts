/**
 * The `--nat` value (geth `nat.Parse`): `any`, `none`, `upnp`, `pmp`, `pmp:<gateway>`,
 * `extip:<ip>`, `stun:<ip>:<port>`, and the {@link NatInterface} it names.
 * @module
 */
import type { Clock } from '@ethp2p/base';
import { normalizeIp } from '@ethp2p/enode';
import {
  AutoNat,
  type DiscoverOptions,
  discoverAny,
  discoverPmp,
  discoverUpnp,
} from './discover.ts';
import { ExtIp } from './extip.ts';
import type { NatInterface } from './nat-interface.ts';
import { PmpNat } from './pmp.ts';
import { StunNat } from './stun.ts';

/** A parsed `--nat` value. */
export type NatSpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'any' }
  | { readonly kind: 'upnp' }
  | { readonly kind: 'pmp'; readonly gateway: string | undefined }
  | { readonly kind: 'extip'; readonly ip: string }
  | { readonly kind: 'stun'; readonly host: string; readonly port: number };

/** The modes without an argument, with geth's aliases (`off`, `auto`, `on`). */
const BARE_MODES: Readonly<Record<string, 'none' | 'any' | 'upnp'>> = {
  '': 'none',
  none: 'none',
  off: 'none',
  any: 'any',
  auto: 'any',
  on: 'any',
  upnp: 'upnp',
};

/** The accepted forms, for messages and `--help`. */
export const NAT_FORMS = 'any|none|upnp|pmp[:<gateway>]|extip:<ip>|stun:<ip>:<port>';

/**
 * Parses a `--nat` value; the mechanism name is case-insensitive as in geth.
 * @throws {TypeError} `nat: expected any|none|..., got 'x'`
 */
export function parseNat(text: string): NatSpec {
  const at = text.indexOf(':');
  const mech = (at < 0 ? text : text.slice(0, at)).toLowerCase();
  const arg = at < 0 ? undefined : text.slice(at + 1);
  const bad = (why: string): TypeError =>
    new TypeError(`nat: expected ${NAT_FORMS}, got '${text}' (${why})`);
  const ip = (s: string | undefined): string => {
    const v = s === undefined ? undefined : normalizeIp(s);
    if (v === undefined) throw bad(`'${s ?? ''}' is not an IP address`);
    return v;
  };
  const bare = BARE_MODES[mech];
  if (bare !== undefined) {
    if (arg !== undefined) throw bad('takes no argument');
    return { kind: bare };
  }
  switch (mech) {
    case '':
    case 'none':
    case 'off':
    case 'any':
    case 'auto':
    case 'on':
    case 'upnp': {
      if (arg !== undefined) throw bad('takes no argument');
      return {
        kind: mech === 'upnp' ? 'upnp' : ['any', 'auto', 'on'].includes(mech) ? 'any' : 'none',
      };
    }
    case 'pmp':
    case 'natpmp':
    case 'nat-pmp':
      return { kind: 'pmp', gateway: arg === undefined ? undefined : ip(arg) };
    case 'extip':
      return { kind: 'extip', ip: ip(arg) };
    case 'stun': {
      const m = arg === undefined ? null : /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(arg);
      const port = Number(m?.[3]);
      if (m === null || port < 1 || port > 0xffff) throw bad('needs <ip>:<port>');
      return { kind: 'stun', host: ip(m[1] ?? m[2]), port };
    }
    default:
      throw bad(`unknown mechanism '${mech}'`);
  }
}

/** The NAT method a spec names; undefined for `none`. Discovery starts on first use. */
export function createNat(
  spec: NatSpec,
  options: { readonly clock?: Clock; readonly discover?: DiscoverOptions } = {},
): NatInterface | undefined {
  const clock = options.clock === undefined ? {} : { clock: options.clock };
  const discover = { ...options.discover, ...clock };
  switch (spec.kind) {
    case 'none':
      return undefined;
    case 'extip':
      return new ExtIp(spec.ip);
    case 'stun':
      return new StunNat({ host: spec.host, port: spec.port, ...clock });
    case 'pmp':
      return spec.gateway === undefined
        ? new AutoNat('natpmp', (signal) => discoverPmp({ ...discover, signal }))
        : new PmpNat({ gateway: spec.gateway, ...clock });
    case 'upnp':
      return new AutoNat('upnp', (signal) => discoverUpnp({ ...discover, signal }));
    case 'any':
      return new AutoNat('upnp or natpmp', (signal) => discoverAny({ ...discover, signal }));
  }
}
