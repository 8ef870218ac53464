/**
 * The pool of signature workers against the real, built worker (`pnpm build` first, as CI does):
 * results equal the inline ones, order per key, shutdown with work in flight, a worker crash.
 * @module
 */

import { readFileSync } from 'node:fs';
import { availableParallelism, getPriority } from 'node:os';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { activeBackend } from '@ethp2p/crypto/backends';
import { afterEach, describe, expect, it } from 'vitest';
import { SignaturePoolError } from '../../src/pool/errors.ts';
import { createSignatureRunner } from '../../src/pool/index.ts';
import { InlineSignatures } from '../../src/pool/inline.ts';
import type { SignatureRunner } from '../../src/pool/types.ts';
import { defaultWorkerCount, SignaturePool } from '../../src/pool/worker-pool.ts';
import { decodePacket } from '../../src/wire/index.ts';
import {
  BROKEN_WORKER,
  CRASHING_WORKER,
  crashPayload,
  expectRecovers,
  recovered,
  sealed,
  signedFindnode,
  unsignedFindnode,
} from './helpers.ts';

const runners: SignatureRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.close()));
});

function pool(options: Partial<ConstructorParameters<typeof SignaturePool>[0]> = {}) {
  const p = new SignaturePool({ workers: 2, privateKey: generatePrivateKey(), ...options });
  runners.push(p);
  return p;
}

/** The nice value of thread `tid` of this process, as the kernel reports it (stat field 19). */
function niceOfThread(tid: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[16]);
}

function codeOf(outcome: { ok: boolean; error?: unknown }): string | undefined {
  return outcome.ok ? undefined : (outcome.error as { code?: string }).code;
}

describe('SignaturePool', () => {
  it('workers load the crypto backend the parent uses', async () => {
    const p = pool();
    await waitFor(() => p.backends.length === 2, { what: 'both workers ready' });
    expect(p.backends).toEqual([activeBackend().name, activeBackend().name]);
    expect(p.stats).toMatchObject({ workers: 2, queued: 0, inFlight: 0, respawns: 0 });
    expect(p.stats.inlineBatches).toBe(0);
  });

  it.runIf(process.platform === 'linux')(
    'workers run below the event loop’s priority, by the nice increment asked for',
    async () => {
      const base = getPriority(); // the calling (main) thread
      const p = pool({ workerNice: 7 });
      await waitFor(() => p.backends.length === 2, { what: 'both workers ready' });
      const want = Math.min(19, base + 7);
      expect(p.priorities.map((t) => t.nice)).toEqual([want, want]);
      for (const { tid } of p.priorities) expect(niceOfThread(tid)).toBe(want);
      expect(getPriority()).toBe(base); // the loop itself is untouched

      const equal = pool({ workers: 1, workerNice: 0 });
      await waitFor(() => equal.backends.length === 1, { what: 'the worker ready' });
      expect(equal.priorities).toEqual([]);
      expect(() => pool({ workerNice: 20 })).toThrow(RangeError);
      expect(() => pool({ workerNice: -1 })).toThrow(RangeError);
    },
  );

  it('recovers and seals exactly as the inline runner does', async () => {
    const privateKey = generatePrivateKey();
    const p = pool({ privateKey, batchSize: 7 });
    await waitFor(() => p.backends.length === 2, { what: 'both workers ready' });
    const inline = new InlineSignatures(privateKey);
    const datagrams = Array.from({ length: 40 }, () => signedFindnode());
    const bad = Uint8Array.from(datagrams[0]?.bytes ?? []);
    bad[96] = 9;
    const results = await Promise.all(
      datagrams.map((d, i) => recovered(p, d.bytes, 'ping', `${i}`)),
    );
    for (const [i, r] of results.entries()) {
      expect(r).toEqual({ ok: true, publicKey: datagrams[i]?.publicKey });
    }
    const [fromPool, fromInline] = await Promise.all([recovered(p, bad), recovered(inline, bad)]);
    expect(codeOf(fromPool)).toBe('BAD_SIGNATURE');
    expect(codeOf(fromInline)).toBe('BAD_SIGNATURE');

    const unsigned = Array.from({ length: 40 }, () => unsignedFindnode());
    const pooled = await Promise.all(unsigned.map((u) => sealed(p, u.slice())));
    for (const [i, u] of unsigned.entries()) {
      const mine = await sealed(inline, u.slice());
      expect(pooled[i]).toEqual(mine);
      if (!mine.ok) throw new Error('inline seal failed');
      expect(decodePacket(mine.bytes).publicKey).toEqual(publicKey(privateKey));
    }
  });

  it('delivers the results of one key in submission order, across workers and batches', async () => {
    const p = pool({ batchSize: 3 });
    await waitFor(() => p.backends.length === 2, { what: 'both workers ready' });
    const order: number[] = [];
    const jobs = Array.from({ length: 30 }, () => signedFindnode());
    await Promise.all(
      jobs.map(
        (d, i) =>
          new Promise<void>((resolve) =>
            p.recover(d.bytes, { key: 'peer', workClass: i % 3 === 0 ? 'own' : 'ping' }, () => {
              order.push(i);
              resolve();
            }),
          ),
      ),
    );
    expect(order).toEqual(jobs.map((_, i) => i));
  });

  it('closing with work queued and in flight fails it all with CLOSED, and nothing after', async () => {
    const p = pool({ workers: 1, batchSize: 2 });
    await waitFor(() => p.backends.length === 1, { what: 'the worker ready' });
    const outcomes = Array.from({ length: 50 }, () => recovered(p, signedFindnode().bytes));
    await waitFor(() => p.stats.inFlight > 0, { what: 'work in flight' });
    await p.close();
    const codes = (await Promise.all(outcomes)).map(codeOf);
    expect(codes.filter((c) => c === 'CLOSED').length).toBeGreaterThan(0);
    expect(codes.every((c) => c === undefined || c === 'CLOSED')).toBe(true);
    expect(codeOf(await recovered(p, signedFindnode().bytes))).toBe('CLOSED');
    await p.close(); // idempotent
  });

  it('a worker crash fails its in-flight work with WORKER_FAILED, respawns, and goes on', async () => {
    const p = pool({ workers: 1, workerUrl: CRASHING_WORKER });
    await waitFor(() => p.backends.length === 1, { what: 'the worker ready' });
    const crashed = await sealed(p, crashPayload());
    expect(codeOf(crashed)).toBe('WORKER_FAILED');
    expect((crashed as { error: unknown }).error).toBeInstanceOf(SignaturePoolError);
    await expectRecovers(p); // inline while the new worker starts
    await waitFor(() => p.backends.length === 2, { what: 'the new worker ready' });
    await expectRecovers(p);
    expect(p.stats.respawns).toBe(1);
  });

  it('runs the work inline while no worker is ready, and when a worker cannot start', async () => {
    const p = pool({ workers: 1, workerUrl: BROKEN_WORKER });
    await expectRecovers(p);
    await waitFor(() => p.stats.workers === 0, { what: 'the broken worker given up' });
    await expectRecovers(p);
    expect(p.stats.inlineBatches).toBeGreaterThanOrEqual(2);
    expect(p.stats.respawns).toBe(2);
  });

  it("sizes 'auto' at one worker per core, 1 to 8", () => {
    expect(defaultWorkerCount()).toBe(Math.min(8, Math.max(1, availableParallelism())));
  });

  it('refuses a missing worker script typed, and bad sizes', () => {
    const missing = new URL('./fixtures/no-such-worker.mjs', import.meta.url);
    expect(() => pool({ workerUrl: missing })).toThrow(SignaturePoolError);
    expect(() => pool({ workers: 0 })).toThrow(RangeError);
    expect(() => createSignatureRunner(-1, generatePrivateKey())).toThrow(RangeError);
    expect(createSignatureRunner(0, generatePrivateKey())).toBeInstanceOf(InlineSignatures);
  });
});
