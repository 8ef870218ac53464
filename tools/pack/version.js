// One version and one repository for every package under packages/: the root package.json owns
// both. `node tools/pack/version.js` checks that each package agrees (exit 1 and a list if not);
// `--set <version>` writes a new version to the root and every package; `--write` syncs the
// packages to the root. Run from anywhere.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** The publishable packages: every directory under packages/, as `{ dir, path, manifest }`. */
export function readPackages(root = ROOT) {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = `packages/${entry.name}`;
      const path = join(root, dir, 'package.json');
      return { dir, path, manifest: JSON.parse(readFileSync(path, 'utf8')) };
    });
}

function readRoot(root) {
  const path = join(root, 'package.json');
  return { path, manifest: JSON.parse(readFileSync(path, 'utf8')) };
}

/** The repository field a package must carry: the root's, with the package's directory. */
function repositoryFor(rootManifest, dir) {
  return { type: 'git', url: rootManifest.repository.url, directory: dir };
}

/** Every way a package disagrees with the root's version and repository, one line each. */
export function checkVersions(root = ROOT) {
  const problems = [];
  const { manifest: rootManifest } = readRoot(root);
  if (typeof rootManifest.version !== 'string' || !SEMVER.test(rootManifest.version)) {
    problems.push(`package.json: version ${JSON.stringify(rootManifest.version)} is not semver`);
  }
  if (typeof rootManifest.repository?.url !== 'string') {
    problems.push('package.json: repository.url is missing');
    return problems;
  }
  for (const { dir, manifest } of readPackages(root)) {
    if (manifest.version !== rootManifest.version) {
      problems.push(`${dir}: version ${manifest.version}, root has ${rootManifest.version}`);
    }
    const want = repositoryFor(rootManifest, dir);
    if (JSON.stringify(manifest.repository) !== JSON.stringify(want)) {
      problems.push(
        `${dir}: repository ${JSON.stringify(manifest.repository)}, expected ${JSON.stringify(want)}`,
      );
    }
  }
  return problems;
}

/** Writes `version` (or the root's) and the repository field to the root and every package. */
export function writeVersions(version, root = ROOT) {
  const rootFile = readRoot(root);
  if (version !== undefined) {
    if (!SEMVER.test(version)) throw new RangeError(`version: expected semver, got ${version}`);
    rootFile.manifest.version = version;
    writeFileSync(rootFile.path, `${JSON.stringify(rootFile.manifest, null, 2)}\n`);
  }
  for (const { dir, path, manifest } of readPackages(root)) {
    manifest.version = rootFile.manifest.version;
    manifest.repository = repositoryFor(rootFile.manifest, dir);
    writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [flag, value] = process.argv.slice(2);
  if (flag === '--set' || flag === '--write') {
    writeVersions(flag === '--set' ? value : undefined);
  } else if (flag !== undefined) {
    console.error(`unknown argument ${flag}: use --set <version>, --write or nothing to check`);
    process.exit(2);
  }
  const problems = checkVersions();
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exit(1);
}
