import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MemoryLogger, SimulatedClock } from '@ethp2p/base';
import { bytesToHex, generatePrivateKey } from '@ethp2p/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeDatabaseError } from '../../src/db/errors.ts';
import { ipTo16 } from '../../src/db/ip.ts';
import { nodeItemKey, nodeKey } from '../../src/db/keys.ts';
import { NodeDatabase } from '../../src/db/node-db.ts';
import { openStore } from '../../src/db/open.ts';
import { plainNode, signedNode } from './helpers/nodes.ts';
import { useTempDirs } from './helpers/temp-dir.ts';

const tempDir = useTempDirs();
const open: NodeDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
});
async function memoryDb(clock = new SimulatedClock(1_700_000_000_000)): Promise<NodeDatabase> {
  const db = await NodeDatabase.open({ clock, logger: new MemoryLogger() });
  open.push(db);
  return db;
}
const id = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);

describe('NodeDatabase per-endpoint fields', () => {
  it('reads missing fields as 0', async () => {
    const db = await memoryDb();
    expect(await db.lastPingReceived(id(1), '1.2.3.4')).toBe(0);
    expect(await db.lastPongReceived(id(1), '1.2.3.4')).toBe(0);
    expect(await db.findFails(id(1), '1.2.3.4')).toBe(0);
  });

  it('stores times in whole seconds, keyed by (ID, 16-byte IP)', async () => {
    const db = await memoryDb();
    await db.updateLastPingReceived(id(1), '1.2.3.4', 1_700_000_000_999);
    await db.updateLastPongReceived(id(1), '::ffff:1.2.3.4', 1_700_000_001_500);
    expect(await db.lastPingReceived(id(1), '::ffff:1.2.3.4')).toBe(1_700_000_000_000);
    expect(await db.lastPongReceived(id(1), Uint8Array.of(1, 2, 3, 4))).toBe(1_700_000_001_000);
    expect(await db.lastPongReceived(id(1), '1.2.3.5')).toBe(0);
    expect(await db.lastPongReceived(id(2), '1.2.3.4')).toBe(0);
  });

  it('stores findnode failures', async () => {
    const db = await memoryDb();
    await db.updateFindFails(id(1), '::1', 3);
    expect(await db.findFails(id(1), '::1')).toBe(3);
    await db.updateFindFails(id(1), '::1', 0);
    expect(await db.findFails(id(1), '::1')).toBe(0);
  });

  it('rejects bad arguments with TypeError and RangeError', async () => {
    const db = await memoryDb();
    await expect(db.lastPongReceived(new Uint8Array(31), '1.2.3.4')).rejects.toThrow(RangeError);
    const notBytes = 'ab'.repeat(32) as unknown as Uint8Array;
    await expect(db.lastPongReceived(notBytes, '1.2.3.4')).rejects.toThrow(TypeError);
    await expect(db.lastPongReceived(id(1), 'nope')).rejects.toThrow(TypeError);
    await expect(db.updateLastPongReceived(id(1), '1.2.3.4', Number.NaN)).rejects.toThrow(
      RangeError,
    );
    await expect(db.updateFindFails(id(1), '1.2.3.4', 1.5)).rejects.toThrow(RangeError);
    await expect(db.storeLocalSeq(id(1), -1n)).rejects.toThrow(RangeError);
  });
});

describe('NodeDatabase local seq', () => {
  it('is 0n when absent and persists across reopen', async () => {
    const path = join(await tempDir(), 'nodes');
    const db = await NodeDatabase.open({ path, logger: new MemoryLogger() });
    expect(await db.localSeq(id(9))).toBe(0n);
    await db.storeLocalSeq(id(9), 1_700_000_000_123n);
    await db.storeLocalSeq(id(8), (1n << 64n) - 1n);
    await db.close();
    const again = await NodeDatabase.open({ path, logger: new MemoryLogger() });
    open.push(again);
    expect(await again.localSeq(id(9))).toBe(1_700_000_000_123n);
    expect(await again.localSeq(id(8))).toBe((1n << 64n) - 1n);
  });
});

describe('NodeDatabase garbage values', () => {
  it('reads malformed stored values as 0', async () => {
    const path = join(await tempDir(), 'nodes');
    const db = await NodeDatabase.open({ path, logger: new MemoryLogger() });
    await db.close();
    const raw = await openStore(path, new MemoryLogger());
    const ip = ipTo16('1.2.3.4');
    await raw.put(nodeItemKey(id(1), ip, 'lastpong'), Uint8Array.of(0x80));
    await raw.put(nodeItemKey(id(1), ip, 'findfail'), Uint8Array.of(0x02, 0x02));
    await raw.put(nodeItemKey(id(1), ip, 'lastping'), new Uint8Array(11).fill(0xff));
    await raw.close();
    const again = await NodeDatabase.open({ path, logger: new MemoryLogger() });
    open.push(again);
    expect(await again.lastPongReceived(id(1), '1.2.3.4')).toBe(0);
    expect(await again.findFails(id(1), '1.2.3.4')).toBe(0);
    expect(await again.lastPingReceived(id(1), '1.2.3.4')).toBe(0);
  });
});

describe('NodeDatabase records', () => {
  it('stores and loads signed and unsigned nodes', async () => {
    const db = await memoryDb();
    const signed = signedNode('10.0.0.1', 5n);
    const plain = plainNode('10.0.0.2');
    await db.updateNode(signed);
    await db.updateNode(plain);
    const a = await db.node(signed.id);
    const b = await db.node(plain.id);
    expect(a?.seq).toBe(5n);
    expect(a?.record?.encode()).toEqual(signed.record?.encode());
    expect(b?.ip).toBe('10.0.0.2');
    expect(bytesToHex(b?.publicKey ?? new Uint8Array())).toBe(bytesToHex(plain.publicKey));
    expect(await db.node(id(7))).toBeUndefined();
  });

  it('keeps a stored record with a higher seq', async () => {
    const db = await memoryDb();
    const key = generatePrivateKey();
    await db.updateNode(signedNode('10.0.0.1', 7n, key));
    await db.updateNode(signedNode('10.0.0.9', 6n, key));
    expect((await db.node(signedNode('10.0.0.1', 7n, key).id))?.ip).toBe('10.0.0.1');
    await db.updateNode(signedNode('10.0.0.8', 7n, key));
    await db.updateNode(signedNode('10.0.0.7', 8n, key));
    expect((await db.node(signedNode('10.0.0.1', 7n, key).id))?.ip).toBe('10.0.0.7');
  });

  it('keeps the higher seq when updates race', async () => {
    const db = await memoryDb();
    const key = generatePrivateKey();
    const high = signedNode('10.0.0.5', 5n, key);
    await Promise.all([db.updateNode(high), db.updateNode(signedNode('10.0.0.3', 3n, key))]);
    expect((await db.node(high.id))?.seq).toBe(5n);
    await Promise.all([
      db.updateNode(signedNode('10.0.0.2', 2n, key)),
      db.updateNode(signedNode('10.0.0.9', 9n, key)),
      db.updateNode(signedNode('10.0.0.4', 4n, key)),
    ]);
    expect((await db.node(high.id))?.ip).toBe('10.0.0.9');
  });

  it('deleteNode removes the record and every per-IP field', async () => {
    const db = await memoryDb();
    const n = signedNode('10.0.0.1');
    await db.updateNode(n);
    await db.updateLastPongReceived(n.id, '10.0.0.1', 1_700_000_000_000);
    await db.updateFindFails(n.id, '10.0.0.3', 2);
    await db.deleteNode(n.id);
    expect(await db.node(n.id)).toBeUndefined();
    expect(await db.lastPongReceived(n.id, '10.0.0.1')).toBe(0);
    expect(await db.findFails(n.id, '10.0.0.3')).toBe(0);
  });

  it('drops a record that does not decode, with a debug log', async () => {
    const path = join(await tempDir(), 'nodes');
    await (await NodeDatabase.open({ path, logger: new MemoryLogger() })).close();
    const n = signedNode('10.0.0.1');
    const raw = await openStore(path, new MemoryLogger());
    await raw.put(nodeKey(n.id), Uint8Array.of(0xc3, 1, 2, 3));
    await raw.put(nodeKey(id(3)), signedNode('10.0.0.2').toStorage()); // under the wrong ID
    await raw.close();
    const logger = new MemoryLogger();
    const db = await NodeDatabase.open({ path, logger });
    open.push(db);
    expect(await db.node(n.id)).toBeUndefined();
    expect(await db.node(id(3))).toBeUndefined();
    const debug = logger.lines.filter((l) => l.msg === 'dropping undecodable node record');
    expect(debug.map((l) => l.fields?.id)).toEqual([bytesToHex(n.id), bytesToHex(id(3))]);
    expect(await db.node(n.id)).toBeUndefined();
    expect(logger.lines.length).toBe(2); // deleted: the second read finds nothing to drop
  });
});

describe('NodeDatabase lifecycle', () => {
  it('close is idempotent and later calls reject with CLOSED', async () => {
    const db = await NodeDatabase.open({ logger: new MemoryLogger() });
    const pending = db.updateLastPingReceived(id(1), '1.2.3.4', 1000);
    const first = db.close();
    expect(db.close()).toBe(first);
    await first;
    await expect(pending).resolves.toBeUndefined();
    const err = await db.lastPingReceived(id(1), '1.2.3.4').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeDatabaseError);
    expect((err as NodeDatabaseError).code).toBe('CLOSED');
  });

  it('a second open of the same path fails with LOCKED', async () => {
    const path = join(await tempDir(), 'nodes');
    const db = await NodeDatabase.open({ path, logger: new MemoryLogger() });
    open.push(db);
    await expect(NodeDatabase.open({ path, logger: new MemoryLogger() })).rejects.toMatchObject({
      name: 'NodeDatabaseError',
      code: 'LOCKED',
    });
  });

  it('opens a damaged store with a warning, keeps what survived and stays writable', async () => {
    const path = join(await tempDir(), 'nodes');
    const n = signedNode('10.0.0.1');
    const db = await NodeDatabase.open({ path, logger: new MemoryLogger() });
    await db.updateNode(n);
    await db.storeLocalSeq(id(1), 42n);
    await db.close();
    const manifest = (await readdir(path)).find((f) => f.startsWith('MANIFEST-'));
    await writeFile(join(path, manifest ?? 'MANIFEST-000001'), Buffer.alloc(100, 0xab));
    await writeFile(join(path, 'CURRENT'), 'garbage');
    const logger = new MemoryLogger();
    const again = await NodeDatabase.open({ path, logger });
    open.push(again);
    expect(logger.lines.filter((l) => l.level === 'warn').map((l) => l.fields?.path)).toContain(
      path,
    );
    expect(await again.localSeq(id(1))).toBe(42n); // repair recovered the log
    await again.updateLastPongReceived(n.id, '10.0.0.1', 5_000);
    expect(await again.lastPongReceived(n.id, '10.0.0.1')).toBe(5_000);
  });
});
