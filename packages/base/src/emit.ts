/**
 * Emitting typed events so that a throwing listener never disturbs the component that emits.
 * @module
 */
import type { EventEmitter } from 'eventemitter3';

/**
 * Emits `event` with its one payload object on `emitter`. A listener that throws is reported to
 * `onError` (a component logs it) instead of unwinding into the emitter's own state changes.
 * This is the one place the emitter's generic `emit` signature is narrowed to a single payload.
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
  try {
    const emit = emitter.emit as unknown as (this: unknown, e: K, p: unknown) => boolean;
    emit.call(emitter, event, payload);
  } catch (err) {
    onError(err, event);
  }
}
