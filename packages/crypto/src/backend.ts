/**
 * Backend loading and selection. The active backend is chosen once, when the package is first
 * imported: `ETHP2P_CRYPTO` forces one, otherwise the fastest that loads wins. Each backend's
 * modules are imported only when it is tried, so a process (or worker thread) that gets the
 * native backend never parses noble's or the WASM backend's code.
 * @module
 */

import { CryptoError } from './errors.ts';
import { BACKEND_NAMES, type BackendName, type CryptoBackend } from './types.ts';

const loadNoble = async (): Promise<CryptoBackend> =>
  (await import('./backends/noble.ts')).nobleBackend;

const loaders: Record<BackendName, () => Promise<CryptoBackend>> = {
  native: async () => (await import('./backends/native.ts')).loadNativeBackend(),
  wasm: async () => (await import('./backends/wasm.ts')).loadWasmBackend(),
  noble: loadNoble,
};

/**
 * Loads one backend by name.
 * @throws {CryptoError} BACKEND_UNAVAILABLE, naming the backend, when it cannot load here
 */
export async function loadBackend(name: BackendName): Promise<CryptoBackend> {
  if (!BACKEND_NAMES.includes(name)) {
    throw new TypeError(
      `backend: expected one of ${BACKEND_NAMES.join(', ')}, got ${String(name)}`,
    );
  }
  try {
    return await loaders[name]();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new CryptoError(
      'BACKEND_UNAVAILABLE',
      `crypto backend "${name}" failed to load: ${reason}`,
      { cause: err },
    );
  }
}

/** Picks the backend named by `forced` (from ETHP2P_CRYPTO), or the fastest one that loads. */
export async function selectBackend(forced: string | undefined): Promise<CryptoBackend> {
  if (forced !== undefined && forced !== '') {
    if (!(BACKEND_NAMES as readonly string[]).includes(forced)) {
      throw new TypeError(
        `ETHP2P_CRYPTO: expected one of ${BACKEND_NAMES.join(', ')}, got ${forced}`,
      );
    }
    return loadBackend(forced as BackendName);
  }
  for (const name of BACKEND_NAMES) {
    try {
      return await loadBackend(name);
    } catch {
      // Try the next, slower backend; noble always loads.
    }
  }
  return loadNoble();
}
