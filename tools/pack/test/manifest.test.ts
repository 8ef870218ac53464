import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkVersions, readPackages, writeVersions } from '../version.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const rootManifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('package manifests', () => {
  const packages = readPackages(ROOT);

  it('finds every package under packages/', () => {
    expect(packages.map((p) => p.dir)).toContain('packages/base');
    expect(packages.length).toBeGreaterThanOrEqual(8);
  });

  it.each(packages.map((p) => [p.dir, p.manifest] as const))('%s is publishable', (dir, m) => {
    expect(m.private, 'private').toBeUndefined();
    expect(m.version).toBe(rootManifest.version);
    expect(m.license).toBe('MIT');
    expect(m.description).toMatch(/^.{20,}$/);
    expect(m.engines).toEqual({ node: '>=20.19.0' }); // the range engines.test.ts derives
    expect(m.repository).toEqual({ ...rootManifest.repository, directory: dir });
    const files = m.files as string[];
    expect(files.filter((f) => f !== 'bin')).toEqual(['dist', 'src', 'README.md', 'LICENSE']);
    expect(files.some((f) => f.includes('test'))).toBe(false);
    const exports = m.exports as Record<string, Record<string, string>>;
    expect(Object.keys(exports)).toContain('.');
    for (const [subpath, conditions] of Object.entries(exports)) {
      // The workspace condition comes first, so it wins where it is enabled (tsconfig, vitest).
      expect(Object.keys(conditions), subpath).toEqual(['@ethp2p/source', 'types', 'default']);
      expect(conditions['@ethp2p/source'], subpath).toMatch(/^\.\/src\/.*\.ts$/);
      expect(conditions.types, subpath).toMatch(/^\.\/dist\/.*\.d\.ts$/);
      expect(conditions.default, subpath).toMatch(/^\.\/dist\/.*\.js$/);
    }
  });

  it.each(packages.map((p) => [p.dir, p.manifest.name] as const))(
    '%s README says how to install from the registry and from tarballs',
    (dir, name) => {
      const readme = readFileSync(join(ROOT, dir, 'README.md'), 'utf8');
      const install = readme.slice(
        readme.indexOf('## Install'),
        readme.indexOf('\n## ', readme.indexOf('## Install') + 1),
      );
      expect(install).toContain(`pnpm add ${name}`);
      expect(install).toContain(`npm install ${name}`);
      expect(install).toContain('pnpm pack:all');
      expect(install).toContain('/dist-pack/ethp2p-*.tgz');
    },
  );

  it('all share the root version and repository', () => {
    expect(checkVersions(ROOT)).toEqual([]);
  });
});

describe('version.js', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  function fakeRoot(): string {
    dir = mkdtempSync(join(tmpdir(), 'ethp2p-version-'));
    const repository = { type: 'git', url: 'git+https://example.invalid/x.git' };
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '1.2.3', repository }));
    for (const [name, version] of [
      ['a', '1.2.3'],
      ['b', '1.2.0'],
    ] as const) {
      mkdirSync(join(dir, 'packages', name), { recursive: true });
      const manifest = {
        name: `@x/${name}`,
        version,
        repository: { ...repository, directory: `packages/${name}` },
      };
      writeFileSync(join(dir, 'packages', name, 'package.json'), JSON.stringify(manifest));
    }
    return dir;
  }

  it('names the package whose version differs from the root', () => {
    expect(checkVersions(fakeRoot())).toEqual(['packages/b: version 1.2.0, root has 1.2.3']);
  });

  it('--set writes one version to the root and every package', () => {
    const root = fakeRoot();
    writeVersions('2.0.0', root);
    expect(checkVersions(root)).toEqual([]);
    expect(readPackages(root).map((p) => p.manifest.version)).toEqual(['2.0.0', '2.0.0']);
    expect(() => writeVersions('next', root)).toThrow('version: expected semver, got next');
  });
});
