// Packs every package, installs the tarballs into an empty project with plain `npm install` and
// runs a TypeScript program against them: what a client developer does before anything is
// published. Third-party dependencies come from the npm registry, so this needs the network.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackages } from '../version.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const TSC = join(ROOT, 'node_modules/.bin/tsc');
const STEP_TIMEOUT_MS = 240_000;
const run = promisify(execFile);

async function exec(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(command, args, {
      cwd,
      timeout: STEP_TIMEOUT_MS,
      maxBuffer: 64 << 20,
    });
    return stdout;
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`${basename(command)} ${args.join(' ')} failed in ${cwd}\n${stdout}${stderr}`, {
      cause: err,
    });
  }
}

/** Packing may fetch pnpm through npx, and installing fetches the third-party dependencies. */
async function checkRegistry(cwd: string): Promise<void> {
  try {
    await run('npm', ['ping'], { cwd, timeout: 30_000 });
  } catch (err) {
    const { stderr = '', killed = false } = err as { stderr?: string; killed?: boolean };
    const registry = (await run('npm', ['config', 'get', 'registry'], { cwd })).stdout.trim();
    const why = killed ? 'npm ping timed out after 30 s' : stderr.trim();
    throw new Error(
      `npm cannot reach the registry ${registry}, so the tarballs cannot be installed: ${why}`,
      {
        cause: err,
      },
    );
  }
}

const PROGRAM = `
import { SimulatedClock } from '@ethp2p/base';
import { decodeRlp, encodeRlp } from '@ethp2p/base/rlp';
import { bytesToHex, generatePrivateKey, keccak256 } from '@ethp2p/crypto';
import { DiscoveryV4 } from '@ethp2p/discovery';
import { decodePacket, DISCV4_VERSION, encodePacket, expirationFromNow } from '@ethp2p/discovery/wire';
import { Enr, Node, nodeIdToHex } from '@ethp2p/enode';
import { PeerSet } from '@ethp2p/eth';
import { FullNode } from '@ethp2p/node';
import { RlpxConnection } from '@ethp2p/rlpx';
import { Server } from '@ethp2p/server';

const privateKey: Uint8Array = generatePrivateKey();
const record = Enr.sign({ seq: 7n, entries: { ip: '127.0.0.1', tcp: 30303, udp: 30301 } }, privateKey);
const node = Node.fromEnr(Enr.decodeText(record.encodeText()));
const clock = new SimulatedClock(1_000_000);
const ping = encodePacket(
  {
    type: 'ping',
    version: DISCV4_VERSION,
    from: { ip: node.ip, udp: node.udp ?? 0, tcp: node.tcp ?? 0 },
    to: { ip: '127.0.0.2', udp: 30303, tcp: 30303 },
    expiration: expirationFromNow(clock.now()),
    enrSeq: record.seq,
  },
  privateKey,
);
const decoded = decodePacket(ping.bytes);
const rlp = decodeRlp(encodeRlp([new Uint8Array([1, 2, 3])]));
console.log(
  JSON.stringify({
    sameNode: nodeIdToHex(decoded.nodeId) === nodeIdToHex(node.id),
    packetType: decoded.packet.type,
    enrSeq: String(record.seq),
    rlp: rlp !== undefined,
    keccakEmpty: bytesToHex(keccak256(new Uint8Array())),
    classes: [DiscoveryV4, PeerSet, FullNode, RlpxConnection, Server].map((c) => typeof c),
  }),
);
`;

const COMMON_OPTIONS = {
  strict: true,
  target: 'es2022',
  lib: ['es2022'],
  types: ['node'],
  skipLibCheck: false,
};

describe('the packed packages', () => {
  let dir: string;
  let tarballs: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ethp2p-pack-'));
    await checkRegistry(dir);
    await exec(TSC, ['-b'], ROOT);
    const out = await exec(
      process.execPath,
      ['tools/pack/pack.js', '--out', join(dir, 'tarballs')],
      ROOT,
    );
    tarballs = out.trim().split('\n');
  }, STEP_TIMEOUT_MS);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('has one tarball per package, with real dependency ranges and no tests', async () => {
    expect(tarballs.map((t) => basename(t))).toEqual(
      readPackages(ROOT).map(
        ({ manifest }) => `${manifest.name.slice(1).replace('/', '-')}-${manifest.version}.tgz`,
      ),
    );
    for (const tarball of tarballs) {
      const files = (await exec('tar', ['tzf', tarball], dir)).trim().split('\n');
      expect(files, tarball).toEqual(
        expect.arrayContaining(['package/package.json', 'package/README.md', 'package/LICENSE']),
      );
      expect(files, tarball).toContain('package/dist/index.d.ts');
      expect(files, tarball).toContain('package/src/index.ts');
      if (basename(tarball).startsWith('ethp2p-node-')) {
        // The dashboard's page is read from src/ at run time, by the sources and the build alike.
        for (const asset of ['index.html', 'dashboard.js', 'dashboard.css']) {
          expect(files, tarball).toContain(`package/src/dashboard/assets/${asset}`);
        }
      }
      expect(
        files.filter((f) => /^package\/test\/|\.test\.|tsbuildinfo/.test(f)),
        tarball,
      ).toEqual([]);
      const manifest = await exec('tar', ['xzfO', tarball, 'package/package.json'], dir);
      expect(manifest, tarball).not.toMatch(/"(workspace|catalog):/);
    }
  });

  it(
    'installs with npm, type-checks under NodeNext and bundler, and runs a program',
    async () => {
      const project = join(dir, 'project');
      mkdirSync(project);
      const rootManifest = (await import('../../../package.json', { with: { type: 'json' } }))
        .default;
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: 'client', private: true, type: 'module' }),
      );
      const typesNode = `@types/node@${rootManifest.engines.node.replace('>=', '^')}`;
      await exec('npm', ['install', '--no-audit', '--no-fund', ...tarballs, typesNode], project);

      writeFileSync(join(project, 'main.ts'), PROGRAM);
      const tsconfig = (compilerOptions: object) =>
        JSON.stringify({
          compilerOptions: { ...COMMON_OPTIONS, ...compilerOptions },
          files: ['main.ts'],
        });
      writeFileSync(
        join(project, 'tsconfig.bundler.json'),
        tsconfig({ module: 'esnext', moduleResolution: 'bundler', noEmit: true }),
      );
      writeFileSync(
        join(project, 'tsconfig.json'),
        tsconfig({ module: 'nodenext', moduleResolution: 'nodenext', outDir: 'out' }),
      );
      await exec(TSC, ['-p', 'tsconfig.bundler.json'], project);
      await exec(TSC, ['-p', 'tsconfig.json'], project);

      const output = JSON.parse(await exec(process.execPath, ['out/main.js'], project));
      expect(output).toEqual({
        sameNode: true,
        packetType: 'ping',
        enrSeq: '7',
        rlp: true,
        keccakEmpty: 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
        classes: ['function', 'function', 'function', 'function', 'function'],
      });

      // The node package's bin is linked and runs from the installed tree.
      const version = await exec(join(project, 'node_modules/.bin/ethp2p'), ['--version'], project);
      expect(version).toContain(rootManifest.version);
    },
    3 * STEP_TIMEOUT_MS,
  );
});
