/** Backend loading and selection, including the ETHP2P_CRYPTO override at import. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../src/backend.ts';
import { type BackendName, loadBackend } from '../src/backends/index.ts';
import type { CryptoError } from '../src/index.ts';

// The secp256k1 addon ships prebuilt binaries for these platforms only; elsewhere the native
// backend cannot load and selection must fall to wasm.
const NATIVE_PLATFORM = ['linux-x64', 'darwin-arm64', 'win32-x64'].includes(
  `${process.platform}-${process.arch}`,
);
const FASTEST: BackendName = NATIVE_PLATFORM ? 'native' : 'wasm';
const LOADABLE: BackendName[] = NATIVE_PLATFORM ? ['native', 'wasm', 'noble'] : ['wasm', 'noble'];

afterEach(() => {
  vi.unstubAllEnvs();
  vi.doUnmock('../src/backends/native.ts');
  vi.resetModules();
});

describe('selectBackend', () => {
  it(`picks ${FASTEST}, the fastest that loads on ${process.platform}-${process.arch}`, async () => {
    expect((await selectBackend(undefined)).name).toBe(FASTEST);
    expect((await selectBackend('')).name).toBe(FASTEST);
  });

  it.each(LOADABLE)('loads %s when forced', async (name) => {
    expect((await selectBackend(name)).name).toBe(name);
  });

  it('fails loudly, naming native, when native is forced where it cannot load', async () => {
    const forced = selectBackend('native');
    if (NATIVE_PLATFORM) await expect(forced).resolves.toMatchObject({ name: 'native' });
    else await expect(forced).rejects.toThrow(/crypto backend "native" failed to load/);
  });

  it('rejects an unknown ETHP2P_CRYPTO value with a TypeError naming the variable', async () => {
    await expect(selectBackend('openssl')).rejects.toThrow(TypeError);
    await expect(selectBackend('openssl')).rejects.toThrow(/ETHP2P_CRYPTO: expected one of/);
    await expect(selectBackend('Native')).rejects.toThrow(TypeError);
  });

  it('rejects an unknown name in loadBackend with a TypeError', async () => {
    await expect(loadBackend('rust' as BackendName)).rejects.toThrow(TypeError);
  });
});

describe('a backend that fails to load', () => {
  async function importWithBrokenNative(): Promise<typeof import('../src/backend.ts')> {
    vi.resetModules();
    vi.doMock('../src/backends/native.ts', () => ({
      loadNativeBackend: async () => {
        throw new Error('no prebuilt binary for this platform');
      },
    }));
    return import('../src/backend.ts');
  }

  it('throws BACKEND_UNAVAILABLE naming it, with the reason, when forced', async () => {
    const { selectBackend: select } = await importWithBrokenNative();
    const err: unknown = await select('native').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as CryptoError).name).toBe('CryptoError');
    expect((err as CryptoError).code).toBe('BACKEND_UNAVAILABLE');
    expect((err as Error).message).toBe(
      'crypto backend "native" failed to load: no prebuilt binary for this platform',
    );
    expect(((err as Error).cause as Error).message).toBe('no prebuilt binary for this platform');
  });

  it('is skipped for the next one when nothing is forced', async () => {
    const { selectBackend: select } = await importWithBrokenNative();
    expect((await select(undefined)).name).toBe('wasm');
  });
});

describe('ETHP2P_CRYPTO at import', () => {
  it.each(LOADABLE)('=%s makes %s the active backend', async (name) => {
    vi.resetModules();
    vi.stubEnv('ETHP2P_CRYPTO', name);
    const crypto = await import('../src/index.ts');
    const { activeBackend } = await import('../src/backends/index.ts');
    expect(activeBackend().name).toBe(name);
    const priv = crypto.generatePrivateKey();
    const hash = crypto.keccak256(priv);
    expect(crypto.recover(hash, crypto.signRecoverable(hash, priv))).toEqual(
      crypto.publicKey(priv),
    );
  });

  it(`unset selects ${FASTEST}`, async () => {
    vi.resetModules();
    vi.stubEnv('ETHP2P_CRYPTO', undefined);
    await import('../src/index.ts');
    const { activeBackend } = await import('../src/backends/index.ts');
    expect(activeBackend().name).toBe(FASTEST);
  });

  it('with an invalid value makes the import fail', async () => {
    vi.resetModules();
    vi.stubEnv('ETHP2P_CRYPTO', 'fastest');
    await expect(import('../src/index.ts')).rejects.toThrow(/ETHP2P_CRYPTO/);
  });
});
