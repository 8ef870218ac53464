import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryLogger } from '@ethp2p/base';
import { bytesToHex } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { NodeDatabaseError } from '../../src/db/errors.ts';
import { VERSION_KEY } from '../../src/db/keys.ts';
import { ensureVersion, type Level, openStore } from '../../src/db/open.ts';
import { encodeVarint } from '../../src/db/varint.ts';
import { useTempDirs } from './helpers/temp-dir.ts';

const tempDir = useTempDirs();
const hex = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : bytesToHex(b);
const key = (i: number): Uint8Array => Uint8Array.of(0x6e, 0x3a, i);
const value = (i: number): Uint8Array => new Uint8Array(100).fill(i);

/** A store at `<dir>/nodes` with 200 entries flushed to a table file plus a few in the log. */
async function populated(): Promise<string> {
  const path = join(await tempDir(), 'nodes');
  const db = await openStore(path, new MemoryLogger());
  await db.batch(
    Array.from({ length: 200 }, (_, i) => ({ type: 'put', key: key(i), value: value(i) }) as const),
  );
  await (db as Level & { compactRange(a: Uint8Array, b: Uint8Array): Promise<void> }).compactRange(
    Uint8Array.of(0),
    Uint8Array.of(0xff),
  );
  await db.put(Uint8Array.of(0x7a), Uint8Array.of(1));
  await db.close();
  return path;
}

async function filesEnding(path: string, suffix: string): Promise<string[]> {
  return (await readdir(path)).filter((f) => f.endsWith(suffix)).map((f) => join(path, f));
}

async function expectUsable(db: Level): Promise<void> {
  await db.put(Uint8Array.of(1), Uint8Array.of(2));
  expect(hex(await db.get(Uint8Array.of(1)))).toBe(hex(Uint8Array.of(2)));
}

const damage: [string, (path: string) => Promise<void>][] = [
  [
    'truncated MANIFEST',
    async (p) => {
      for (const f of await filesEnding(p, '')) if (f.includes('MANIFEST-')) await truncate(f, 5);
    },
  ],
  ['garbage CURRENT', (p) => writeFile(join(p, 'CURRENT'), 'MANIFEST-999999\n')],
  ['empty CURRENT', (p) => writeFile(join(p, 'CURRENT'), '')],
  [
    'garbage table files',
    async (p) => {
      const tables = await filesEnding(p, '.ldb');
      expect(tables.length).toBeGreaterThan(0);
      for (const f of tables) await writeFile(f, Buffer.alloc((await stat(f)).size, 0x5a));
    },
  ],
  [
    'garbage MANIFEST and log',
    async (p) => {
      for (const f of await filesEnding(p, '')) {
        if (f.includes('MANIFEST-') || f.endsWith('.log'))
          await writeFile(f, Buffer.alloc(300, 0xab));
      }
    },
  ],
];

describe('openStore corruption recovery', () => {
  it.each(damage)('recovers from %s with a warning', async (_name, hurt) => {
    const path = await populated();
    await hurt(path);
    const logger = new MemoryLogger();
    const db = await openStore(path, logger);
    try {
      const warnings = logger.lines.filter((l) => l.level === 'warn');
      expect(warnings.length).toBeGreaterThan(0);
      expect(warnings.every((l) => l.fields?.path === path)).toBe(true);
      expect(warnings.some((l) => /repaired|recreated/.test(l.msg))).toBe(true);
      await expectUsable(db);
    } finally {
      await db.close();
    }
  });

  it('opens an intact store without warnings and keeps its data', async () => {
    const path = await populated();
    const logger = new MemoryLogger();
    const db = await openStore(path, logger);
    expect(hex(await db.get(key(7)))).toBe(hex(value(7)));
    await db.close();
    expect(logger.lines).toEqual([]);
  });

  it('moves aside a regular file at the path and recreates the store', async () => {
    const path = join(await tempDir(), 'nodes');
    await writeFile(path, 'not a database');
    const logger = new MemoryLogger();
    const db = await openStore(path, logger);
    await expectUsable(db);
    await db.close();
    expect(await readFile(`${path}.corrupt`, 'utf8')).toBe('not a database');
    expect(logger.lines.at(-1)).toMatchObject({
      level: 'warn',
      msg: 'node database unrecoverable, recreated empty',
      fields: { path, movedTo: `${path}.corrupt` },
    });
  });

  it('opens a non-database directory without touching its files', async () => {
    const path = join(await tempDir(), 'nodes');
    await mkdir(path);
    await writeFile(join(path, 'notes.txt'), 'hello');
    await writeFile(join(path, 'MANIFEST-000001'), Buffer.alloc(64, 0x11));
    const db = await openStore(path, new MemoryLogger());
    await expectUsable(db);
    await db.close();
    expect(await readFile(join(path, 'notes.txt'), 'utf8')).toBe('hello');
  });
});

describe('openStore lock', () => {
  it('fails with LOCKED when this process already has the store open', async () => {
    const path = join(await tempDir(), 'nodes');
    const db = await openStore(path, new MemoryLogger());
    const err = await openStore(path, new MemoryLogger()).catch((e: unknown) => e);
    await db.close();
    expect(err).toBeInstanceOf(NodeDatabaseError);
    expect((err as NodeDatabaseError).code).toBe('LOCKED');
    expect((err as NodeDatabaseError).message).toContain(path);
  });

  it('fails with LOCKED when another process has the store open', async () => {
    const path = join(await tempDir(), 'nodes');
    const cwd = fileURLToPath(new URL('../..', import.meta.url));
    const script = `import { ClassicLevel } from 'classic-level';
      const db = new ClassicLevel(process.argv[1]); await db.open();
      process.stdout.write('ready\\n');
      process.stdin.on('end', () => db.close().then(() => process.exit(0))); process.stdin.resume();`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, path], { cwd });
    try {
      const [chunk] = (await once(child.stdout, 'data', {
        signal: AbortSignal.timeout(10_000),
      })) as [Buffer];
      expect(chunk.toString()).toBe('ready\n');
      const logger = new MemoryLogger();
      const err = await openStore(path, logger).catch((e: unknown) => e);
      expect((err as NodeDatabaseError).code).toBe('LOCKED');
      expect(logger.lines).toEqual([]);
    } finally {
      child.stdin.end();
      await once(child, 'exit');
    }
  });
});

describe('ensureVersion', () => {
  it('writes the version into an empty store', async () => {
    const db = await openStore(undefined, new MemoryLogger());
    await ensureVersion(db, undefined, new MemoryLogger());
    expect(hex(await db.get(VERSION_KEY))).toBe(hex(encodeVarint(1000n)));
    await db.close();
  });

  it.each([
    ['another version', encodeVarint(9n)],
    ['a garbage version', Uint8Array.of(0xff)],
    ['no version', undefined],
  ])('flushes a store with %s', async (_name, stored) => {
    const path = join(await tempDir(), 'nodes');
    const db = await openStore(path, new MemoryLogger());
    await db.put(key(1), value(1));
    if (stored !== undefined) await db.put(VERSION_KEY, stored);
    const logger = new MemoryLogger();
    await ensureVersion(db, path, logger);
    expect(await db.get(key(1))).toBeUndefined();
    expect(hex(await db.get(VERSION_KEY))).toBe(hex(encodeVarint(1000n)));
    expect(logger.lines).toMatchObject([{ level: 'warn', fields: { path, expected: 1000 } }]);
    await db.close();
  });

  it('keeps a store of the current version', async () => {
    const db = await openStore(undefined, new MemoryLogger());
    await db.put(VERSION_KEY, encodeVarint(1000n));
    await db.put(key(1), value(1));
    const logger = new MemoryLogger();
    await ensureVersion(db, undefined, logger);
    expect(hex(await db.get(key(1)))).toBe(hex(value(1)));
    expect(logger.lines).toEqual([]);
    await db.close();
  });
});
