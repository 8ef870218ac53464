import { describe, expect, it } from 'vitest';
import { isCollected } from '../src/testing/index.ts';

/** A WeakRef to a fresh buffer that nothing else references. */
function unreferenced(): WeakRef<Uint8Array> {
  return new WeakRef(new Uint8Array(1024));
}

describe('isCollected', () => {
  it('is true once nothing references the target', async () => {
    expect(await isCollected(unreferenced())).toBe(true);
  });

  it('is false while something still does', async () => {
    const kept = new Uint8Array(1024);
    const ref = new WeakRef(kept);
    expect(await isCollected(ref)).toBe(false);
    expect(kept.length).toBe(1024);
  });
});
