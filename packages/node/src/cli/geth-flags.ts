/**
 * The go-ethereum flags of `ethp2p node` that need more than a plain conversion: the node key
 * (`--nodekey`, `--nodekeyhex`) and the client identity (`--identity`).
 * @module
 */
import { hexToBytes, isValidPrivateKey } from '@ethp2p/crypto';
import { loadNodeKey, NodeKeyError } from '@ethp2p/enode';
import type { OptionSpecs, OptionValues } from './args.ts';
import { failure, usageError } from './errors.ts';

/** The geth flags handled here. */
export const GETH_KEY_OPTIONS: OptionSpecs = {
  nodekey: {
    type: 'string',
    valueName: 'file',
    description: 'node key file to use instead of <datadir>/nodekey (read, never written)',
  },
  nodekeyhex: {
    type: 'string',
    valueName: 'hex',
    description: 'node key as 64 hex characters (no nodekey file is read or written)',
  },
  identity: {
    type: 'string',
    valueName: 'name',
    description: 'custom node name in the client name: ethp2p/<name>/v...',
  },
};

/**
 * The key of `--nodekey` or `--nodekeyhex`, or `undefined` for the datadir's.
 * @throws {CliError} `USAGE` for both flags or a bad hex key (never echoed), `FAILED` for a
 *   missing, unreadable or invalid key file
 */
export async function nodeKeyOf(o: OptionValues): Promise<Uint8Array | undefined> {
  const file = o.string('nodekey');
  const hex = o.string('nodekeyhex');
  if (file !== undefined && hex !== undefined) {
    throw usageError(`${o.origin('nodekey')} and ${o.origin('nodekeyhex')} exclude each other`);
  }
  if (hex !== undefined) {
    const key = /^(0x)?[0-9a-fA-F]{64}$/.test(hex) ? hexToBytes(hex.replace(/^0x/, '')) : undefined;
    if (key === undefined || !isValidPrivateKey(key)) {
      throw usageError(
        `${o.origin('nodekeyhex')}: expected 64 hex characters of a valid secp256k1 private key`,
      );
    }
    return key;
  }
  if (file === undefined) return undefined;
  try {
    return await loadNodeKey(file);
  } catch (err) {
    if (!(err instanceof NodeKeyError)) throw err;
    const what =
      err.code === 'NOT_FOUND' ? 'no such file' : err.message.replace(`node key ${file}: `, '');
    throw failure(`${o.origin('nodekey')} ${file}: ${what}`, { cause: err });
  }
}

/**
 * `--identity`: printable characters without spaces, at most 64.
 * @throws {CliError} `USAGE` for another value
 */
export function identityOf(o: OptionValues): string | undefined {
  const text = o.string('identity');
  if (text === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,64}$/.test(text)) {
    throw usageError(
      `${o.origin('identity')}: expected 1-64 printable characters without spaces, got '${text}'`,
    );
  }
  return text;
}
