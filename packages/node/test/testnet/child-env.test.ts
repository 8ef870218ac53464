import { afterEach, describe, expect, it } from 'vitest';
import { NodeProcess } from '../../src/testnet/child.ts';
import { childEnv } from '../../src/testnet/child-env.ts';

describe('testnet child environment', () => {
  it('drops ETHP2P_* flag variables and keeps the rest', () => {
    expect(
      childEnv({
        PATH: '/bin',
        ETHP2P_NODIAL: 'true',
        ETHP2P_NETWORK: 'sepolia',
        ethp2p_static: 'enode://x',
        ETHP2P_CRYPTO: 'noble',
        HOME: undefined,
      }),
    ).toEqual({ PATH: '/bin', ETHP2P_CRYPTO: 'noble' });
  });

  describe('a child process', () => {
    const saved = process.env.ETHP2P_NODIAL;
    afterEach(() => {
      if (saved === undefined) delete process.env.ETHP2P_NODIAL;
      else process.env.ETHP2P_NODIAL = saved;
    });

    it('does not see the parent ETHP2P_NODIAL', async () => {
      process.env.ETHP2P_NODIAL = 'true';
      // `node -e <code>`: the child reports what it sees as its "enode".
      const child = new NodeProcess({
        script: '-e',
        args: [
          'console.log(JSON.stringify({ enode: "nodial=" + (process.env.ETHP2P_NODIAL ?? "unset") }))',
        ],
      });
      try {
        expect(await child.waitForEnode(AbortSignal.timeout(10_000))).toBe('nodial=unset');
      } finally {
        await child.stop();
      }
    });
  });
});
