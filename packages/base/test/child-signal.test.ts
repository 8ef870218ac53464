import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { childSignal } from '../src/index.ts';

describe('childSignal', () => {
  it('costs its parent one abort listener however many children are alive', () => {
    const parent = new AbortController();
    const children = Array.from({ length: 50 }, () => childSignal(parent.signal));
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
    for (const c of children) c.release();
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });

  it('aborts every live child with the parent reason, and not a released one', () => {
    const parent = new AbortController();
    const [live, released] = [childSignal(parent.signal), childSignal(parent.signal)];
    released.release();
    parent.abort('stop');
    expect(live.signal.reason).toBe('stop');
    expect(released.signal.aborted).toBe(false);
  });

  it('aborts one child alone, and starts aborted under an aborted parent', () => {
    const parent = new AbortController();
    const [a, b] = [childSignal(parent.signal), childSignal(parent.signal)];
    a.abort('mine');
    expect([a.signal.reason, b.signal.aborted, parent.signal.aborted]).toEqual([
      'mine',
      false,
      false,
    ]);
    parent.abort('gone');
    expect(childSignal(parent.signal).signal.reason).toBe('gone');
    expect(childSignal(undefined).signal.aborted).toBe(false);
  });
});
