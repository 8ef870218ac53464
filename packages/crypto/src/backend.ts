/**
 * Backend loading and selection. The active backend is chosen once, when the package is first
 * imported: `ETHP2P_CRYPTO` forces one, otherwise the fastest that loads wins.
 * @module
 */

import { loadNativeBackend } from './backends/native.ts';
import { nobleBackend } from './backends/noble.ts';
import { loadWasmBackend } from './backends/wasm.ts';
import { CryptoError } from './errors.ts';
import { BACKEND_NAMES, type BackendName, type CryptoBackend } from './types.ts';

const loaders: Record<BackendName, () => Promise<CryptoBackend>> = {
  native: loadNativeBackend,
  wasm: loadWasmBackend,
  noble: async () => nobleBackend,
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
  return nobleBackend;
}
