// `pnpm pack:all`: writes an installable tarball of every package under packages/ into dist-pack/
// (or `--out <dir>`), through `pnpm pack`, which turns `workspace:*` and `catalog:` into real
// versions. Build first (`pnpm pack:all` runs `tsc -b`). Prints one tarball path per line.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkVersions, readPackages } from './version.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

/** How to run pnpm: the one running this script, else the root's `packageManager` through npx. */
function pnpmCommand() {
  const execPath = process.env.npm_execpath;
  if (execPath?.includes('pnpm')) return [process.execPath, [execPath]];
  const { packageManager } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return ['npx', ['-y', packageManager]];
}

/** Packs every package into `outDir` (emptied first) and returns the tarball paths. */
export function packAll(outDir = join(ROOT, 'dist-pack')) {
  const problems = checkVersions(ROOT);
  if (problems.length > 0)
    throw new Error(`packages disagree with the root:\n${problems.join('\n')}`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const [command, prefix] = pnpmCommand();
  const args = ['-r', '--filter', './packages/*', 'pack', '--pack-destination', outDir];
  execFileSync(command, [...prefix, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarballs = readPackages(ROOT).map(({ manifest }) =>
    join(outDir, `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`),
  );
  const missing = tarballs.filter((tarball) => !existsSync(tarball));
  if (missing.length > 0) throw new Error(`pnpm pack wrote no ${missing.join(', ')}`);
  return tarballs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv.indexOf('--out');
  const tarballs = packAll(out === -1 ? undefined : resolve(process.argv[out + 1] ?? 'dist-pack'));
  for (const tarball of tarballs) console.log(tarball);
}
