/**
 * Child signals of a long-lived parent (a server's stop signal) that cost the parent one `abort`
 * listener in all, however many children are alive: the parent's single listener aborts every
 * live child, and is removed with the last one. One listener per child would make more than 10
 * handshakes in flight trigger Node's `MaxListenersExceededWarning` (raising the limit would only
 * hide it), and `AbortSignal.any` keeps every child of a long-lived signal alive on Node 20.
 * @module
 */

/** A signal that aborts with its parent's reason until {@link ChildSignal.release}. */
export interface ChildSignal {
  /** Aborted with the parent's reason; also by {@link ChildSignal.abort}. */
  readonly signal: AbortSignal;
  /** Aborts this child alone with `reason`. */
  abort(reason: unknown): void;
  /** Detaches from the parent (a later parent abort no longer reaches it). Idempotent. */
  release(): void;
}

interface Children {
  readonly live: Set<AbortController>;
  readonly onAbort: () => void;
}

/** The live children of each parent that has any. */
const childrenOf = new WeakMap<AbortSignal, Children>();

/** A child of `parent` (already aborted if `parent` is). Call `release()` when done with it. */
export function childSignal(parent: AbortSignal | undefined): ChildSignal {
  const controller = new AbortController();
  const abort = (reason: unknown): void => controller.abort(reason);
  if (parent === undefined || parent.aborted) {
    if (parent?.aborted) controller.abort(parent.reason);
    return { signal: controller.signal, abort, release: () => undefined };
  }
  const children = childrenOf.get(parent) ?? adopt(parent);
  children.live.add(controller);
  return {
    signal: controller.signal,
    abort,
    release(): void {
      if (!children.live.delete(controller) || children.live.size > 0) return;
      parent.removeEventListener('abort', children.onAbort);
      if (childrenOf.get(parent) === children) childrenOf.delete(parent);
    },
  };
}

/** Installs `parent`'s one listener. */
function adopt(parent: AbortSignal): Children {
  const live = new Set<AbortController>();
  const onAbort = (): void => {
    childrenOf.delete(parent);
    for (const c of live) c.abort(parent.reason);
    live.clear();
  };
  parent.addEventListener('abort', onAbort, { once: true });
  const children = { live, onAbort };
  childrenOf.set(parent, children);
  return children;
}
