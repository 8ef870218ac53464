import { describe, expect, it } from 'vitest';
import {
  envVarName,
  type OptionSpecs,
  parseCommandArgs,
  resolveOptions,
} from '../../src/cli/args.ts';
import { CliError } from '../../src/cli/errors.ts';

const SPECS: OptionSpecs = {
  'nat.extip': { type: 'string', description: 'external ip' },
  'max-peers': { type: 'string', description: 'peers', default: '50' },
  verbose: { type: 'boolean', short: 'v', description: 'talk more' },
  timeout: { type: 'string', description: 'time' },
};

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).code).toBe('USAGE');
    return (err as CliError).message;
  }
  throw new Error('no error');
}

describe('envVarName', () => {
  it.each([
    ['foo.bar-baz', 'ETHP2P_FOO_BAR_BAZ'],
    ['--nodekey', 'ETHP2P_NODEKEY'],
    ['max-peers', 'ETHP2P_MAX_PEERS'],
  ])('%s is %s', (flag, name) => {
    expect(envVarName(flag)).toBe(name);
  });
});

describe('resolveOptions', () => {
  it('takes the flag over the variable over the default', () => {
    const env = { ETHP2P_NAT_EXTIP: '1.2.3.4', ETHP2P_MAX_PEERS: '10', ETHP2P_VERBOSE: 'yes' };
    const none = resolveOptions(SPECS, {}, {});
    expect(none.get('max-peers')).toEqual({ value: '50', source: 'default' });
    expect(none.has('nat.extip')).toBe(false);
    const fromEnv = resolveOptions(SPECS, {}, env);
    expect(fromEnv.get('nat.extip')).toEqual({ value: '1.2.3.4', source: 'env' });
    expect(fromEnv.get('max-peers')).toEqual({ value: '10', source: 'env' });
    expect(fromEnv.get('verbose')).toEqual({ value: true, source: 'env' });
    const flags = resolveOptions(SPECS, { 'max-peers': '3', verbose: false }, env);
    expect(flags.get('max-peers')).toEqual({ value: '3', source: 'flag' });
    expect(flags.get('verbose')).toEqual({ value: false, source: 'flag' });
  });

  it('treats an empty variable as unset and rejects a non-boolean for a boolean flag', () => {
    expect(resolveOptions(SPECS, {}, { ETHP2P_MAX_PEERS: '' }).get('max-peers')?.source).toBe(
      'default',
    );
    expect(resolveOptions(SPECS, {}, { ETHP2P_VERBOSE: 'FALSE' }).get('verbose')).toEqual({
      value: false,
      source: 'env',
    });
    expect(usage(() => resolveOptions(SPECS, {}, { ETHP2P_VERBOSE: 'maybe' }))).toBe(
      "ETHP2P_VERBOSE: expected true or false, got 'maybe'",
    );
  });
});

describe('parseCommandArgs', () => {
  it('splits positionals and flags, with = and short forms', () => {
    const { positionals, options } = parseCommandArgs(
      ['a', '--nat.extip=10.0.0.1', '-v', 'b', '--timeout', '2m', '--', '--c'],
      SPECS,
      {},
    );
    expect(positionals).toEqual(['a', 'b', '--c']);
    expect(options.string('nat.extip')).toBe('10.0.0.1');
    expect(options.boolean('verbose')).toBe(true);
    expect(options.duration('timeout')).toBe(120_000);
    expect(options.integer('max-peers', 0, 100)).toBe(50);
    expect(options.isSet('max-peers')).toBe(false);
  });

  it.each([
    [['--nope'], 'unknown flag --nope'],
    [['-x'], 'unknown flag -x'],
    [['--timeout'], 'flag --timeout needs a value'],
    [['--timeout', '--verbose'], 'flag --timeout needs a value'],
    [['--verbose=1'], 'flag --verbose takes no value'],
  ])('rejects %j', (argv, message) => {
    expect(usage(() => parseCommandArgs(argv, SPECS, {}))).toBe(message);
  });

  it('takes a negative number after a flag as its value, and its check names the problem', () => {
    const { options } = parseCommandArgs(['--max-peers', '-1', '--timeout', '-5s'], SPECS, {});
    expect(options.string('max-peers')).toBe('-1');
    expect(usage(() => options.integer('max-peers', 0, 100))).toBe(
      "--max-peers: expected an integer in 0-100, got '-1'",
    );
    expect(usage(() => options.duration('timeout'))).toMatch(
      /^--timeout: expected a duration.*'-5s'$/,
    );
  });

  it('names the flag or the variable a bad value came from', () => {
    const flag = parseCommandArgs(['--max-peers', '500'], SPECS, {}).options;
    expect(usage(() => flag.integer('max-peers', 0, 100))).toBe(
      "--max-peers: expected an integer in 0-100, got '500'",
    );
    const env = parseCommandArgs([], SPECS, { ETHP2P_TIMEOUT: '5' }).options;
    expect(usage(() => env.duration('timeout'))).toMatch(/^ETHP2P_TIMEOUT: expected a duration/);
  });

  it('splits lists on commas', () => {
    const { options } = parseCommandArgs(['--nat.extip', ' a, ,b ,'], SPECS, {});
    expect(options.list('nat.extip')).toEqual(['a', 'b']);
    expect(options.list('timeout')).toEqual([]);
  });
});
