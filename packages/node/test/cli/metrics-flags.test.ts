import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejectedError } from '@ethp2p/base/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../src/cli/args.ts';
import { CliError } from '../../src/cli/errors.ts';
import { NODE_OPTIONS, nodeCommandConfig } from '../../src/cli/node-options.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ethp2p-metrics-flags-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function config(args: readonly string[]) {
  const argv = ['--nodiscover', '--datadir', join(dir, 'data'), ...args];
  return nodeCommandConfig(parseCommandArgs(argv, NODE_OPTIONS, {}).options);
}

describe('--metrics flags of ethp2p node (geth names and defaults)', () => {
  it('are off by default, also when only the address or port is given', async () => {
    expect((await config([])).node.metrics).toBeUndefined();
    expect((await config(['--metrics.port', '7070'])).node.metrics).toBeUndefined();
  });

  it('--metrics serves on 127.0.0.1:6060', async () => {
    expect((await config(['--metrics'])).node.metrics).toEqual({ host: '127.0.0.1', port: 6060 });
  });

  it('--metrics.addr and --metrics.port move it (port 0 picks one)', async () => {
    const { node } = await config(['--metrics', '--metrics.addr', '::1', '--metrics.port', '0']);
    expect(node.metrics).toEqual({ host: '::1', port: 0 });
  });

  it('refuses an address that is not an IP, and a bad port', async () => {
    const bad = await rejectedError(
      config(['--metrics', '--metrics.addr', 'localhost']),
      CliError,
      'USAGE',
    );
    expect(bad.message).toContain('--metrics.addr');
    await rejectedError(config(['--metrics', '--metrics.port', '70000']), CliError, 'USAGE');
  });
});
