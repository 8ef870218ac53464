import { describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../src/cli/command.ts';
import { defaultRegistry, runCli } from '../../src/cli/main.ts';
import { CommandRegistry } from '../../src/cli/registry.ts';
import { CLIENT_VERSION, defaultClientName } from '../../src/node/config.ts';
import { run, testIo } from './helpers/run.ts';

const commands = defaultRegistry().commands;
const groups = [...new Set(commands.map((c) => c.path.slice(0, -1).join(' ')))];

describe('help', () => {
  it.each(commands.map((c) => [c.path.join(' '), c] as const))(
    '%s --help prints usage, options and examples',
    async (_name, spec) => {
      for (const flag of ['--help', '-h']) {
        const { code, stdout, stderr } = await run([...spec.path, flag]);
        expect(code).toBe(0);
        expect(stderr).toBe('');
        expect(stdout).toMatch(new RegExp(`^Usage: ethp2p ${spec.path.join(' ')}`));
        expect(stdout).toContain(spec.summary);
        expect(stdout).toContain('-h, --help');
        expect(spec.examples.length).toBeGreaterThan(0);
        for (const e of spec.examples) expect(stdout).toContain(`  ${e}\n`);
        for (const name of Object.keys(spec.options)) expect(stdout).toContain(`--${name}`);
      }
    },
  );

  it('wins over other arguments, even bad ones', async () => {
    const { code, stdout } = await run(['key', 'to-enode', '--nope', 'x', 'y', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: ethp2p key to-enode <file> \[options\]/);
  });

  it.each(groups.map((g) => [g]))(
    'group "%s" --help lists its commands with examples',
    async (g) => {
      const path = g === '' ? [] : g.split(' ');
      const { code, stdout } = await run([...path, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: ${['ethp2p', ...path].join(' ')} <command>`));
      expect(stdout).toContain('ETHP2P_FOO_BAR_BAZ');
      expect(stdout).toMatch(/\nExamples:\n {2}ethp2p /);
      for (const c of commands.filter((c) => c.path.slice(0, -1).join(' ') === g)) {
        expect(stdout).toMatch(
          new RegExp(`\\n {2}${c.path.at(-1)} +${escapeRegExp(c.summary)}\\n`),
        );
      }
    },
  );

  it('the root help lists the groups', async () => {
    const { stdout } = await run(['-h']);
    for (const group of ['key', 'enr', 'discv4'])
      expect(stdout).toMatch(new RegExp(`\\n {2}${group} `));
  });

  it('names the environment variable of each flag', async () => {
    const key = await run(['key', 'to-enr', '--help']);
    expect(key.stdout).toMatch(/--tcp <port> +.*\(default 30303\) \[ETHP2P_TCP\]/);
    const crawl = await run(['discv4', 'crawl', '--help']);
    expect(crawl.stdout).toMatch(/--timeout <duration> +.*\(default 30m\) \[ETHP2P_TIMEOUT\]/);
  });
});

describe('help and version commands', () => {
  it('--version and version print the client name and exit 0', async () => {
    for (const argv of [['--version'], ['version']]) {
      const { code, stdout, stderr } = await run(argv);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toBe(`${defaultClientName()}\n`);
    }
    expect(defaultClientName()).toContain(`/v${CLIENT_VERSION}/`);
  });

  it('help lists the commands, help <command> [sub] prints its --help', async () => {
    const root = await run(['help']);
    expect(root.code).toBe(0);
    expect(root.stdout).toBe((await run(['--help'])).stdout);
    expect(root.stdout).toMatch(/\n {2}help +/);
    expect(root.stdout).toMatch(/\n {2}version +/);
    for (const path of [['node'], ['discv4'], ['discv4', 'crawl'], ['help']]) {
      const { code, stdout, stderr } = await run(['help', ...path]);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toBe((await run([...path, '--help'])).stdout);
    }
  });

  it.each([
    [['help', 'nope'], "unknown command 'nope'"],
    [['help', 'discv4', 'nope'], "unknown command 'discv4 nope'"],
    [['help', 'node', 'nope'], "unknown command 'node nope'"],
  ])('%j exits with 2 and says the command is unknown', async (argv, what) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`ethp2p: ${what} (see 'ethp2p help --help')\n`);
  });
});

describe('usage errors', () => {
  it('prints the group help to stderr and exits with 2 without a command', async () => {
    for (const argv of [[], ['discv4']]) {
      const { code, stdout, stderr } = await run(argv);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^Usage: ethp2p/);
    }
  });

  it.each([
    [['nope'], "ethp2p: unknown command 'nope' (see 'ethp2p --help')"],
    [['key', 'nope'], "ethp2p: unknown command 'nope' (see 'ethp2p key --help')"],
    [['--nope'], "ethp2p: unknown flag --nope (see 'ethp2p --help')"],
    [
      ['key', 'to-id', 'f', '--nope'],
      "ethp2p: unknown flag --nope (see 'ethp2p key to-id --help')",
    ],
    [['key', 'to-id', 'f', 'g'], "ethp2p: unexpected argument 'g' (see 'ethp2p key to-id --help')"],
    [['key', 'to-enr'], "ethp2p: missing argument <file> (see 'ethp2p key to-enr --help')"],
    [['enr', 'decode'], "ethp2p: missing argument <enr|enode> (see 'ethp2p enr decode --help')"],
    [
      ['discv4', 'resolve', 'x', '--timeout', '5'],
      "ethp2p: --timeout: expected a duration such as 500ms, 30s or 2m, got '5' (see 'ethp2p discv4 resolve --help')",
    ],
    [
      ['node', '--maxpeers', '-1'],
      "ethp2p: --maxpeers: expected an integer in 0-100000, got '-1' (see 'ethp2p node --help')",
    ],
    [
      ['discv4', 'crawl', '--parallel', '0'],
      "ethp2p: --parallel: expected an integer in 1-1024, got '0' (see 'ethp2p discv4 crawl --help')",
    ],
  ])('%j exits with 2 and one line', async (argv, line) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${line}\n`);
  });
});

describe('runCli', () => {
  const spec = (run: CommandSpec['run']): CommandSpec => ({
    path: ['x'],
    summary: 'test',
    args: [{ name: 'arg', required: false, description: 'an argument' }],
    options: { flag: { type: 'boolean', description: 'a flag' } },
    examples: ['ethp2p x'],
    run,
  });

  it('passes positionals after -- through, and exits 1 with one line for other errors', async () => {
    const io = testIo({ ETHP2P_FLAG: 'true' });
    const seen: unknown[] = [];
    const registry = new CommandRegistry([
      spec(async (ctx) => {
        seen.push(ctx.args, ctx.options.boolean('flag'));
        throw new Error('first line\nsecond line');
      }),
    ]);
    expect(await runCli(registry, ['x', '--', '--help'], io)).toBe(1);
    expect(seen).toEqual([['--help'], true]);
    expect(io.stderr.text).toBe('ethp2p: first line; second line\n');
  });

  it('reports an abort by the signal as interrupted', async () => {
    const controller = new AbortController();
    const io = testIo({}, controller.signal);
    const registry = new CommandRegistry([
      spec((ctx) => {
        controller.abort(new Error('SIGINT'));
        return Promise.reject(ctx.signal.reason);
      }),
    ]);
    expect(await runCli(registry, ['x'], io)).toBe(1);
    expect(io.stderr.text).toBe('ethp2p: interrupted\n');
  });

  it('rejects command paths that clash', () => {
    const a = spec(async () => {});
    expect(() => new CommandRegistry([a, a])).toThrow(RangeError);
    expect(() => new CommandRegistry([a, { ...a, path: ['x', 'y'] }])).toThrow(RangeError);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
