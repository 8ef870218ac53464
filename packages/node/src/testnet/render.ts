/**
 * The testnet's live table, its change lines (when stdout is not a terminal) and its summary,
 * as text lines.
 * @module
 */
import type { TestnetNodeState, TestnetResult } from './testnet.ts';

/** `t=…  target N peers`, then one {@link nodeRow} per node. */
export function tableLines(
  nodes: readonly TestnetNodeState[],
  target: number,
  elapsedMs: number,
): string[] {
  const head = `t=${seconds(elapsedMs)}  target ${target} peers`;
  return [head, ...nodes.map((n) => nodeRow(n, target))];
}

/**
 * One node: `node  ip  peers  table  pid  reached`, and for a node short of `target` peers what
 * it lacks and its last failed dial (`node N` when the dialed node is one of the testnet's).
 */
export function nodeRow(n: TestnetNodeState, target: number): string {
  const base = `node ${String(n.index).padStart(2)}  ${n.ip.padEnd(11)}  peers ${String(n.peers).padStart(2)}/${target}  table ${String(n.table ?? '-').padStart(3)}  pid ${n.pid ?? '-'}`;
  const head = n.head === undefined ? '' : `  head ${n.head.number}`;
  const reached = n.reachedMs === undefined ? '' : `  reached at ${seconds(n.reachedMs)}`;
  return `${base}${head}${reached}${n.peers < target ? `  ${lacking(n, target)}` : ''}`;
}

/**
 * The lines to print when stdout is not a terminal: one per node whose peers or table size
 * changed since `previous` (or that is new), and one per node that exited.
 */
export function changeLines(
  previous: readonly TestnetNodeState[],
  nodes: readonly TestnetNodeState[],
  target: number,
  elapsedMs: number,
): string[] {
  const lines: string[] = [];
  for (const n of nodes) {
    const before = previous.find((p) => p.index === n.index);
    const at = `  t=${seconds(elapsedMs)}`;
    if (before?.running === true && !n.running) {
      lines.push(`${nodeRow(n, target)}  exited${at}`);
    } else if (
      before === undefined ||
      before.peers !== n.peers ||
      before.table !== n.table ||
      before.head?.number !== n.head?.number
    ) {
      lines.push(`${nodeRow(n, target)}${at}`);
    }
  }
  return lines;
}

/** Options of {@link liveView}. */
export interface LiveViewOptions {
  /** Whether stdout is a terminal. */
  readonly tty: boolean;
  /** The terminal's width. */
  readonly columns: number;
  /** Peers each node should reach. */
  readonly target: number;
}

/**
 * What to write to stdout on each update: on a terminal, the table redrawn in place at most once
 * a second (rows cut to the width, since a wrapped row would break the redraw); otherwise the
 * {@link changeLines} since the last update. Returns `''` when there is nothing to write.
 */
export function liveView(
  options: LiveViewOptions,
): (nodes: readonly TestnetNodeState[], elapsedMs: number) => string {
  const { tty, target } = options;
  const width = Math.max(20, options.columns - 1);
  let printed: readonly TestnetNodeState[] = [];
  let drawn = 0;
  let lastSecond = -1;
  return (nodes, elapsedMs) => {
    if (!tty) {
      const lines = changeLines(printed, nodes, target, elapsedMs);
      printed = nodes;
      return lines.map((l) => `${l}\n`).join('');
    }
    const second = Math.floor(elapsedMs / 1000);
    if (second === lastSecond) return '';
    lastSecond = second;
    const lines = tableLines(nodes, target, elapsedMs).map((l) => l.slice(0, width));
    const up = drawn > 0 ? `\x1b[${drawn}A` : '';
    drawn = lines.length;
    return `${up}${lines.map((l) => `\x1b[2K${l}\n`).join('')}`;
  };
}

/** The summary printed at the end: outcome, time and peers per node. */
export function summaryLines(result: TestnetResult): string[] {
  const secs = seconds(result.elapsedMs);
  const sync = result.syncHead;
  const first =
    result.outcome === 'converged' && sync !== undefined
      ? `synced in ${secs}: all ${result.nodes.length} nodes have head ${sync.number} (${sync.hash.slice(0, 10)}…)`
      : result.outcome === 'timeout' && sync !== undefined
        ? `timed out after ${secs}: ${result.nodes.filter((n) => n.reachedMs !== undefined).length} of ${result.nodes.length} nodes reached head ${sync.number}`
        : result.outcome === 'converged'
          ? `converged in ${secs}: all ${result.nodes.length} nodes have ${result.target} peers`
          : result.outcome === 'timeout'
            ? `timed out after ${secs}: ${result.nodes.filter((n) => n.reachedMs !== undefined).length} of ${result.nodes.length} nodes reached ${result.target} peers`
            : result.outcome === 'interrupted'
              ? `interrupted after ${secs}`
              : `failed after ${secs}: ${result.error ?? 'unknown error'}`;
  const peers = result.nodes.map((n) => `${n.index}:${n.peers}`).join(' ');
  const heads = result.nodes.map((n) => `${n.index}:${n.head?.number ?? '-'}`).join(' ');
  return [
    first,
    `peers per node: ${peers === '' ? '(none)' : peers}`,
    ...(sync === undefined ? [] : [`head per node: ${heads === '' ? '(none)' : heads}`]),
  ];
}

/** `lacks 2, last dial error: node 3: connect ECONNREFUSED …` (or `no failed dial`). */
function lacking(n: TestnetNodeState, target: number): string {
  const err = n.lastDialError;
  const why =
    err === undefined
      ? 'no failed dial'
      : `last dial error: ${dialedNode(err.node)}: ${err.error.replace(/\s+/g, ' ')}`;
  return `lacks ${target - n.peers}, ${why}`;
}

/** `node N` for an enode URL on 127.0.0.N (a testnet node), else its `host:port`. */
function dialedNode(enode: string): string {
  const host = /@([^?]+)/.exec(enode)?.[1] ?? enode;
  const testnet = /^127\.0\.0\.(\d+):/.exec(host);
  return testnet === null ? host : `node ${testnet[1]}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
