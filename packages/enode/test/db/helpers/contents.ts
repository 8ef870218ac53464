import { bytesToHex } from '@ethp2p/crypto';
import { ClassicLevel } from 'classic-level';
import { ENCODINGS } from '../../../src/db/backend.ts';

/** Every entry of the store at `path` (key hex → value hex), read by a plain open. */
export async function contents(path: string): Promise<Record<string, string>> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(path, ENCODINGS);
  const out: Record<string, string> = {};
  for await (const [k, v] of db.iterator()) out[bytesToHex(k)] = bytesToHex(v);
  await db.close();
  return out;
}
