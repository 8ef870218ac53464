/**
 * The testnet's live table and summary, as text lines.
 * @module
 */
import type { TestnetNodeState, TestnetResult } from './testnet.ts';

/** `node  ip  peers  table  pid  reached` rows, one per node. */
export function tableLines(
  nodes: readonly TestnetNodeState[],
  target: number,
  elapsedMs: number,
): string[] {
  const head = `t=${(elapsedMs / 1000).toFixed(1)}s  target ${target} peers`;
  const rows = nodes.map(
    (n) =>
      `node ${String(n.index).padStart(2)}  ${n.ip.padEnd(11)}  peers ${String(n.peers).padStart(2)}/${target}  table ${String(n.table ?? '-').padStart(3)}  pid ${n.pid ?? '-'}${n.reachedMs === undefined ? '' : `  reached at ${(n.reachedMs / 1000).toFixed(1)}s`}`,
  );
  return [head, ...rows];
}

/** The summary printed at the end: outcome, time and peers per node. */
export function summaryLines(result: TestnetResult): string[] {
  const secs = (result.elapsedMs / 1000).toFixed(1);
  const first =
    result.outcome === 'converged'
      ? `converged in ${secs}s: all ${result.nodes.length} nodes have ${result.target} peers`
      : result.outcome === 'timeout'
        ? `timed out after ${secs}s: ${result.nodes.filter((n) => n.reachedMs !== undefined).length} of ${result.nodes.length} nodes reached ${result.target} peers`
        : result.outcome === 'interrupted'
          ? `interrupted after ${secs}s`
          : `failed after ${secs}s: ${result.error ?? 'unknown error'}`;
  const peers = result.nodes.map((n) => `${n.index}:${n.peers}`).join(' ');
  return [first, `peers per node: ${peers === '' ? '(none)' : peers}`];
}
