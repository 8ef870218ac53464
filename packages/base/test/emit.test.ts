import { EventEmitter } from 'eventemitter3';
import { describe, expect, it } from 'vitest';
import { safeEmit } from '../src/index.ts';

interface Events {
  'peer:added': (e: { id: string }) => void;
}

describe('safeEmit', () => {
  it('delivers the payload to every listener and reports a throwing one without unwinding', () => {
    const emitter = new EventEmitter<Events>();
    const seen: string[] = [];
    emitter.on('peer:added', (e) => seen.push(`a:${e.id}`));
    emitter.on('peer:added', () => {
      throw new Error('listener bug');
    });
    const errors: [string, string][] = [];
    safeEmit(emitter, 'peer:added', { id: 'x' }, (err, event) =>
      errors.push([event, (err as Error).message]),
    );
    expect(seen).toEqual(['a:x']);
    expect(errors).toEqual([['peer:added', 'listener bug']]);
  });

  it('does nothing without listeners', () => {
    const emitter = new EventEmitter<Events>();
    let called = false;
    safeEmit(emitter, 'peer:added', { id: 'y' }, () => {
      called = true;
    });
    expect(called).toBe(false);
  });

  it('runs the listeners after a throwing one, and a once listener only once', () => {
    const emitter = new EventEmitter<Events>();
    const seen: string[] = [];
    emitter.on('peer:added', () => {
      throw new Error('first');
    });
    emitter.once('peer:added', (e) => seen.push(`once:${e.id}`));
    emitter.on('peer:added', (e) => seen.push(`on:${e.id}`));
    const errors: string[] = [];
    const onError = (err: unknown): void => {
      errors.push((err as Error).message);
    };
    safeEmit(emitter, 'peer:added', { id: '1' }, onError);
    safeEmit(emitter, 'peer:added', { id: '2' }, onError);
    expect(seen).toEqual(['once:1', 'on:1', 'on:2']);
    expect(errors).toEqual(['first', 'first']);
    expect(emitter.listenerCount('peer:added')).toBe(2);
  });
});
