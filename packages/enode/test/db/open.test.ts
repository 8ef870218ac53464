import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryLogger } from '@ethp2p/base';
import { bytesToHex } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { NodeDatabaseError } from '../../src/db/errors.ts';
import { VERSION_KEY } from '../../src/db/keys.ts';
import { ensureVersion, type Level, openStore } from '../../src/db/open.ts';
import { encodeVarint } from '../../src/db/varint.ts';
import { contents } from './helpers/contents.ts';
import {
  errnoError,
  type Failures,
  failingBackend,
  levelIoError,
} from './helpers/failing-backend.ts';
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

/** LevelDB's human-readable info logs, which every open attempt rotates: not data. */
const INFO_LOGS = new Set(['LOG', 'LOG.old']);

/**
 * Every data file under `dir` (relative name → content hex), to compare a store before and
 * after; LevelDB's info logs are left out.
 */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || INFO_LOGS.has(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    out[relative(dir, file)] = bytesToHex(await readFile(file));
  }
  return out;
}

/** The siblings of `path` that are aside copies of it. */
async function asideCopies(path: string): Promise<string[]> {
  const name = basename(path);
  return (await readdir(dirname(path))).filter((f) => f.startsWith(`${name}.corrupt`));
}

describe('openStore corruption recovery', () => {
  it.each(damage)(
    'recovers from %s, keeping the damaged original intact aside',
    async (name, hurt) => {
      const path = await populated();
      await hurt(path);
      const damaged = await snapshot(path);
      const logger = new MemoryLogger();
      const db = await openStore(path, logger, { nowMs: Date.UTC(2026, 11, 4, 20, 37, 0) });
      try {
        const original = `${path}.corrupt-20261204T203700Z`;
        expect(await asideCopies(path)).toEqual([basename(original)]);
        const aside = await snapshot(original);
        if (name === 'garbage table files') {
          // LevelDB's open succeeded (and, as always, turned the log into a table) before the scan
          // met the damage: the damaged tables are aside unchanged.
          const tables = Object.entries(damaged).filter(([f]) => f.endsWith('.ldb'));
          expect(tables.length).toBeGreaterThan(0);
          for (const [f, content] of tables) expect(aside[f]).toBe(content);
        } else {
          expect(aside).toEqual(damaged);
        }
        const warnings = logger.lines.filter((l) => l.level === 'warn');
        expect(warnings.every((l) => l.fields?.path === path)).toBe(true);
        const outcome = warnings.at(-1);
        expect(outcome?.msg).toMatch(/repaired|started empty/);
        expect(outcome?.fields?.original).toBe(original);
        if (outcome?.msg.includes('repaired')) expect(outcome.fields?.kept).toBeTypeOf('number');
        await expectUsable(db);
      } finally {
        await db.close();
      }
    },
  );

  it('says how many entries a repair kept when it lost some', async () => {
    const path = await populated();
    const tables = await filesEnding(path, '.ldb');
    for (const f of tables) await writeFile(f, Buffer.alloc((await stat(f)).size, 0x5a));
    const logger = new MemoryLogger();
    const db = await openStore(path, logger, { nowMs: 0 });
    await db.close();
    const repaired = logger.lines.find((l) => l.msg.startsWith('node database repaired'));
    expect(repaired?.fields).toMatchObject({ path, original: `${path}.corrupt-19700101T000000Z` });
    // 200 entries lived in the damaged tables; the one in the log survives.
    expect(repaired?.fields?.kept).toBe(1);
  });

  it('names a second aside copy apart from the first', async () => {
    const path = await populated();
    await writeFile(join(path, 'CURRENT'), '');
    await mkdir(`${path}.corrupt-19700101T000000Z`);
    const db = await openStore(path, new MemoryLogger(), { nowMs: 0 });
    await db.close();
    expect((await asideCopies(path)).sort()).toEqual([
      'nodes.corrupt-19700101T000000Z',
      'nodes.corrupt-19700101T000000Z-1',
    ]);
  });

  it('opens an intact store without warnings and keeps its data', async () => {
    const path = await populated();
    const logger = new MemoryLogger();
    const db = await openStore(path, logger);
    expect(hex(await db.get(key(7)))).toBe(hex(value(7)));
    await db.close();
    expect(logger.lines).toEqual([]);
  });

  it('refuses a regular file at the path and leaves it alone', async () => {
    const path = join(await tempDir(), 'nodes');
    await writeFile(path, 'not a database');
    const logger = new MemoryLogger();
    const err = await openStore(path, logger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeDatabaseError);
    expect((err as NodeDatabaseError).code).toBe('OPEN_FAILED');
    expect((err as Error).message).toContain('EEXIST');
    expect(await readFile(path, 'utf8')).toBe('not a database');
    expect(await asideCopies(path)).toEqual([]);
    expect(logger.lines).toEqual([]);
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

describe('openStore when the disk, not the data, fails', () => {
  const io = (strerror: string) => (path: string) => levelIoError(`${path}/000005.log`, strerror);
  const cases: [string, Failures, string][] = [
    ['no space left (ENOSPC) on open', { open: io('No space left on device') }, 'No space left'],
    ['permission denied (EACCES) on open', { open: io('Permission denied') }, 'Permission denied'],
    ['a read-only file system (EROFS)', { open: io('Read-only file system') }, 'Read-only'],
    ['operation not permitted (EPERM)', { open: io('Operation not permitted') }, 'not permitted'],
    ['EACCES creating the directory', { open: (p) => errnoError('EACCES', p) }, 'EACCES'],
    ['ENOSPC creating the directory', { open: (p) => errnoError('ENOSPC', p) }, 'ENOSPC'],
    ['EROFS creating the directory', { open: (p) => errnoError('EROFS', p) }, 'EROFS'],
    ['an I/O error (EIO) while scanning', { scan: io('Input/output error') }, 'Input/output'],
    ['no space left while scanning', { scan: io('No space left on device') }, 'No space left'],
  ];

  it.each(cases)(
    '%s: fails with OPEN_FAILED and leaves the store untouched',
    async (_n, f, why) => {
      const path = await populated();
      const entries = await contents(path);
      expect(Object.keys(entries)).toHaveLength(201);
      const files = await snapshot(path);
      const backend = failingBackend(f);
      const logger = new MemoryLogger();
      const err = await openStore(path, logger, { backend }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NodeDatabaseError);
      expect((err as NodeDatabaseError).code).toBe('OPEN_FAILED');
      expect((err as Error).message).toContain(path);
      expect((err as Error).message).toContain(why);
      expect((err as Error).message).toContain('left as it was');
      expect(backend.repairs).toBe(0);
      // A failed open wrote nothing; a store that opened and then failed its scan was rewritten
      // only as every LevelDB open does (its log turned into a table): its data is the same.
      if (f.open !== undefined) expect(await snapshot(path)).toEqual(files);
      expect(await contents(path)).toEqual(entries);
      expect(await asideCopies(path)).toEqual([]);
      expect(logger.lines).toEqual([]);
    },
  );

  it('a held lock (EAGAIN) fails with LOCKED and leaves the store untouched', async () => {
    const path = await populated();
    const before = await snapshot(path);
    const locked = Object.assign(
      new Error(`IO error: lock ${path}/LOCK: Resource temporarily unavailable`),
      { code: 'LEVEL_LOCKED' },
    );
    const backend = failingBackend({ open: () => locked });
    const err = await openStore(path, new MemoryLogger(), { backend }).catch((e: unknown) => e);
    expect((err as NodeDatabaseError).code).toBe('LOCKED');
    expect(backend.repairs).toBe(0);
    expect(await snapshot(path)).toEqual(before);
  });

  it('corruption, then no space to repair the copy: the original is put back untouched', async () => {
    const path = await populated();
    const entries = await contents(path);
    const corrupt = Object.assign(new Error('Corruption: bad block checksum'), {
      code: 'LEVEL_CORRUPTION',
    });
    const backend = failingBackend({
      scan: () => corrupt,
      repair: (p) => levelIoError(`${p}/000009.ldb`, 'No space left on device'),
    });
    const logger = new MemoryLogger();
    const err = await openStore(path, logger, { backend }).catch((e: unknown) => e);
    expect((err as NodeDatabaseError).code).toBe('OPEN_FAILED');
    expect((err as Error).message).toContain('No space left');
    expect(backend.repairs).toBe(1);
    expect(await contents(path)).toEqual(entries);
    expect(await asideCopies(path)).toEqual([]);
    expect(logger.lines.map((l) => l.msg)).toEqual(['node database damaged, repairing a copy']);
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
