import { describe, expect, it } from 'vitest';
import { builtWorkerExecArgv } from '../src/index.ts';

describe('builtWorkerExecArgv', () => {
  it('drops the @ethp2p/source condition in every spelling and keeps everything else', () => {
    expect(
      builtWorkerExecArgv([
        '--conditions',
        '@ethp2p/source',
        '--max-semi-space-size=32',
        '-C',
        '@ethp2p/source',
        '--conditions=@ethp2p/source',
        '-C=@ethp2p/source',
        '--conditions',
        'other',
        '--expose-gc',
      ]),
    ).toEqual(['--max-semi-space-size=32', '--conditions', 'other', '--expose-gc']);
  });
});
