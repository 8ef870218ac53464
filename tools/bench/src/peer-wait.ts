/**
 * Waiting for a mesh to form, for both stacks: an ethp2p `Server` and an ethereumjs `RLPx` both
 * report `peer:added` and `peer:removed` on their `events`.
 * @module
 */
import { within } from './rlpx-target.ts';

/** Anything whose `events` report peer changes. */
export interface PeerEvents {
  readonly events: {
    on(event: 'peer:added' | 'peer:removed', fn: () => void): unknown;
    off(event: 'peer:added' | 'peer:removed', fn: () => void): unknown;
  };
}

/** Resolves once `condition()` holds, re-checked at every peer change of any node. */
export function untilPeers(
  nodes: readonly PeerEvents[],
  condition: () => boolean,
  signal: AbortSignal,
): Promise<void> {
  let check = (): void => {};
  const done = new Promise<void>((resolve) => {
    check = () => {
      if (condition()) resolve();
    };
    for (const n of nodes) {
      n.events.on('peer:added', check);
      n.events.on('peer:removed', check);
    }
    check();
  });
  return within(done, signal).finally(() => {
    for (const n of nodes) {
      n.events.off('peer:added', check);
      n.events.off('peer:removed', check);
    }
  });
}
