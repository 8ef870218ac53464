/**
 * The crash loop's writer process: `writer.js <datadir> <first batch>` loads or creates the
 * datadir's `nodekey`, opens the node database in `<datadir>/nodes` and writes batches from
 * `<first batch>` on until it is killed, printing one line per step on stdout:
 * `key <node ID hex>`, `open`, then `committed <b>` after each awaited batch write (and, every
 * {@link KEY_REWRITE_EVERY} batches, after rewriting the key file atomically as well).
 * Warnings of the database (a repair, a version flush) go to stderr.
 * @module
 */
import { join } from 'node:path';
import { defaultLogger } from '@ethp2p/base';
import { bytesToHex, publicKey } from '@ethp2p/crypto';
import { loadOrCreateNodeKey, NodeDatabase, nodeIdFromPublicKey, saveNodeKey } from '@ethp2p/enode';
import { writeBatch } from './batches.ts';

/** Batches between two rewrites of the key file. */
const KEY_REWRITE_EVERY = 16;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function run(datadir: string, first: number): Promise<void> {
  const keyPath = join(datadir, 'nodekey');
  const { key } = await loadOrCreateNodeKey(keyPath);
  say(`key ${bytesToHex(nodeIdFromPublicKey(publicKey(key)))}`);
  const db = await NodeDatabase.open({ path: join(datadir, 'nodes'), logger: defaultLogger });
  say('open');
  for (let b = first; ; b++) {
    if (!(await writeBatch(db, b))) throw new Error(`batch ${b}: a write failed`);
    if (b % KEY_REWRITE_EVERY === 0) await saveNodeKey(keyPath, key);
    say(`committed ${b}`);
  }
}

const [datadir, first] = process.argv.slice(2);
if (datadir === undefined || first === undefined || !/^[0-9]+$/.test(first)) {
  console.error('usage: writer.js <datadir> <first batch>');
  process.exit(2);
}
await run(datadir, Number(first));
