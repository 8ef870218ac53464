import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type EntryExports, entryPoints, kindOf, parseIndex, renderReport } from '../src/report.ts';

// Each package's API.md lists every export of every entry point. This test regenerates the
// reports and fails on any difference, so an export change is visible in review; run
// `pnpm api:update` to accept one.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const packagesDir = join(root, 'packages');
const update = process.env.API_UPDATE === '1';

describe('API reports', () => {
  it.each(readdirSync(packagesDir))('packages/%s/API.md matches its exports', async (dir) => {
    const pkgDir = join(packagesDir, dir);
    const entries: EntryExports[] = [];
    for (const entry of entryPoints(pkgDir)) {
      const { types, values } = parseIndex(readFileSync(entry.source, 'utf8'));
      const mod = (await import(entry.specifier)) as Record<string, unknown>;
      // The parsed value names are exactly what the module exports at runtime.
      expect(Object.keys(mod).sort(), entry.specifier).toEqual(values);
      entries.push({
        specifier: entry.specifier,
        types,
        values: values.map((name) => ({ name, kind: kindOf(mod[name]) })),
      });
    }
    const pkgName = entryPoints(pkgDir)[0]?.specifier ?? dir;
    const report = renderReport(pkgName, entries);
    const file = join(pkgDir, 'API.md');
    if (update) writeFileSync(file, report);
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {}
    expect(current, `${file} is stale: run pnpm api:update`).toBe(report);
  });

  it('reads type-only and value names, aliases and inline type markers', () => {
    const parsed = parseIndex(
      "/** x */\nexport type { A, B } from './a.ts';\nexport { c, type D, e as f } from './c.ts';\n",
    );
    expect(parsed).toEqual({ types: ['A', 'B', 'D'], values: ['c', 'f'] });
    expect(() => parseIndex("export * from './x.ts';")).toThrow('export *');
    expect(() => parseIndex('export const x = 1;')).toThrow('declares');
  });
});
