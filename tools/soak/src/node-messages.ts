/**
 * The IPC messages between a soak and the node process it measures.
 * @module
 */
import type { MemorySample } from './sample.ts';

/** Parent to node: take a sample, or stop. */
export type ToNode =
  | { readonly type: 'sample'; readonly elapsedMs: number }
  | { readonly type: 'stop' };

/** Node to parent: started (with its enode URL), a sample, or stopped. */
export type FromNode =
  | { readonly type: 'ready'; readonly enode: string }
  | { readonly type: 'sample'; readonly sample: MemorySample }
  | { readonly type: 'stopped' };

/** How the node process is started: its arguments, in order. */
export interface NodeArgs {
  /** The datadir (the parent creates and removes it). */
  readonly datadir: string;
  /** Blocks of the soak chain. */
  readonly blocks: number;
  /** The node's peer limit. */
  readonly maxPeers: number;
}

/** `args` as the node process's argv. */
export function encodeNodeArgs(args: NodeArgs): string[] {
  return [args.datadir, String(args.blocks), String(args.maxPeers)];
}

/** The node process's argv back as {@link NodeArgs}. @throws {RangeError} if malformed */
export function decodeNodeArgs(argv: readonly string[]): NodeArgs {
  const [datadir, blocks, maxPeers] = argv;
  if (datadir === undefined || blocks === undefined || maxPeers === undefined) {
    throw new RangeError('node args: expected <datadir> <blocks> <maxPeers>');
  }
  return { datadir, blocks: Number(blocks), maxPeers: Number(maxPeers) };
}
