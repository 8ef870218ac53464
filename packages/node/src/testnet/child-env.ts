/**
 * The environment of a testnet child: the parent's, without the `ETHP2P_*` flag variables, so
 * a variable meant for the parent (`ETHP2P_NODIAL`, `ETHP2P_NETWORK`, `ETHP2P_STATIC`, ...) never
 * changes how the children run; the testnet passes every flag they need on the command line.
 * @module
 */

/** `ETHP2P_*` variables that are not flags and do reach the children: the crypto backend. */
const KEPT = new Set(['ETHP2P_CRYPTO']);

/** `env` without the `ETHP2P_*` flag variables (see the module comment). */
export function childEnv(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (name.toUpperCase().startsWith('ETHP2P_') && !KEPT.has(name.toUpperCase())) continue;
    out[name] = value;
  }
  return out;
}
