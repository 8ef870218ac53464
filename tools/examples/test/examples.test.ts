import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Every packages/<pkg>/examples/<name>.ts must appear verbatim in packages/<pkg>/README.md and run
// to completion, printing at least one line and no `false`, `undefined` or `NaN`: examples print
// their checks (`same id: true`), so a broken example cannot pass by printing something. Examples import packages by name; vitest resolves
// those to TypeScript sources, and `tsc -b` type-checks the same files through this tool's tsconfig.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const packagesDir = join(root, 'packages');

const examples = readdirSync(packagesDir).flatMap((pkg) => {
  const dir = join(packagesDir, pkg, 'examples');
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  } catch {
    return [];
  }
  return files.map((file) => ({ pkg, file, path: join(dir, file) }));
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('package examples', () => {
  it('every package has a README and at least one example', () => {
    for (const pkg of readdirSync(packagesDir)) {
      expect(readFileSync(join(packagesDir, pkg, 'README.md'), 'utf8')).toMatch(/^# /);
      expect(examples.some((e) => e.pkg === pkg)).toBe(true);
    }
  });

  it.each(examples)('$pkg/examples/$file is in the README verbatim', ({ pkg, path }) => {
    const readme = readFileSync(join(packagesDir, pkg, 'README.md'), 'utf8');
    const source = readFileSync(path, 'utf8').trimEnd();
    expect(readme).toContain(`\`\`\`ts\n${source}\n\`\`\``);
  });

  it.each(examples)('$pkg/examples/$file runs and prints', async ({ path }) => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    await import(path);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toMatch(/\b(false|undefined|NaN)\b/);
  });
});
