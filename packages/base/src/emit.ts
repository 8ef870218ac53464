/**
 * Emitting typed events so that a throwing listener never disturbs the component that emits,
 * nor the listeners after it.
 * @module
 */
import type { EventEmitter } from 'eventemitter3';

/**
 * Emits `event` with its one payload object on `emitter`: every listener runs, in order, each in
 * its own `try`. A listener that throws is reported to `onError` (a component logs it) instead of
 * unwinding into the emitter's state changes or keeping later listeners from running. A `once`
 * listener is removed before it runs, as `emit` would.
 */
export function safeEmit<
  Events extends EventEmitter.ValidEventTypes,
  K extends EventEmitter.EventNames<Events>,
>(
  emitter: EventEmitter<Events>,
  event: K,
  payload: EventEmitter.EventArgs<Events, K>[0],
  onError: (err: unknown, event: K) => void,
): void {
  const listeners = emitter.listeners(event) as unknown as ((p: unknown) => void)[];
  for (const listener of listeners) {
    // Removes the listener only if it was added with `once`.
    emitter.removeListener(event, listener as never, undefined, true);
    try {
      listener.call(emitter, payload);
    } catch (err) {
      onError(err, event);
    }
  }
}
