import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// `pnpm example` runs tools/examples/run.mjs, which looks for the built examples in the dist/
// next to it. These runs use a copy of the script next to a dist/ the test lays out.
const script = fileURLToPath(new URL('../run.mjs', import.meta.url));
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of run.mjs in a fresh directory; `files` are written under its dist/. */
function scriptWith(files: readonly string[] | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'ethp2p-examples-'));
  dirs.push(dir);
  copyFileSync(script, join(dir, 'run.mjs'));
  for (const file of files ?? []) {
    const path = join(dir, 'dist', file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, file.endsWith('.js') ? `console.log('ran ${file}');\n` : '{}');
  }
  return join(dir, 'run.mjs');
}

function run(path: string, ...args: string[]) {
  const { status, stdout, stderr } = spawnSync(process.execPath, [path, ...args], {
    encoding: 'utf8',
  });
  return { status, stdout, stderr };
}

// What `tsc -b` leaves in dist/: a package directory per package, and the build info file.
const BUILT = [
  'tsconfig.tsbuildinfo',
  'enode/examples/enr.js',
  'enode/examples/enr.d.ts',
  'base/examples/base.js',
];

describe('pnpm example', () => {
  it('lists the built examples and exits 2 without a name', () => {
    const { status, stdout, stderr } = run(scriptWith(BUILT));
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'usage: pnpm example <package>/<example>  (build first: pnpm build)\n' +
        'examples: base/base, enode/enr\n',
    );
  });

  it.each(['nope', 'enode/nope', 'tsconfig.tsbuildinfo/x'])(
    'names the unknown example %s, lists the others and exits 2',
    (name) => {
      const { status, stderr } = run(scriptWith(BUILT), name);
      expect(status).toBe(2);
      expect(stderr).toBe(
        `unknown example '${name}'\n` +
          'usage: pnpm example <package>/<example>  (build first: pnpm build)\n' +
          'examples: base/base, enode/enr\n',
      );
    },
  );

  it('prints the usage line when nothing is built', () => {
    const { status, stderr } = run(scriptWith(undefined));
    expect(status).toBe(2);
    expect(stderr).toBe(
      'usage: pnpm example <package>/<example>  (build first: pnpm build)\n' +
        'no built examples found\n',
    );
  });

  it('runs an example by name', () => {
    const { status, stdout, stderr } = run(scriptWith(BUILT), 'enode/enr');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toBe('ran enode/examples/enr.js\n');
  });

  it('does not crash on the real dist/, built or not', () => {
    const { status, stderr } = run(script);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^usage: pnpm example /);
    expect(stderr).not.toContain('Error');
  });
});
