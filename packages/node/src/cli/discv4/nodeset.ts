/**
 * The `nodes.json` format of go-ethereum's `devp2p` tool (`cmd/devp2p/nodeset.go`): a JSON object
 * from node ID (64 hex characters) to `{ seq, record, score, firstResponse, lastResponse,
 * lastCheck }`, with times in RFC 3339. Pure: no I/O.
 * @module
 */
import { CodedError } from '@ethp2p/base';
import { Node, nodeIdToHex } from '@ethp2p/enode';

/** One node of a set. Times are Unix milliseconds; `undefined` is Go's zero time. */
export interface NodeSetEntry {
  readonly node: Node;
  /** Liveness checks passed: +1 for each answer, halved for each miss (geth). */
  readonly score: number;
  readonly firstResponse: number | undefined;
  readonly lastResponse: number | undefined;
  readonly lastCheck: number | undefined;
}

/** A node set by node ID hex. */
export type NodeSet = Map<string, NodeSetEntry>;

/** Go's zero `time.Time`, which `encoding/json` writes for times never set. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** What is wrong with a nodes.json file: not a JSON object, or a bad entry. */
export type NodeSetErrorCode = 'MALFORMED' | 'INVALID_ENTRY';

/** A nodes.json file that cannot be read. */
export class NodeSetError extends CodedError<NodeSetErrorCode> {
  override readonly name = 'NodeSetError';
}

/**
 * Parses nodes.json text. Each record must verify and match its key and `seq` (geth `verify`).
 * @throws {NodeSetError} on malformed JSON, entries or records
 */
export function parseNodeSet(text: string): NodeSet {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new NodeSetError('MALFORMED', `not JSON: ${(err as Error).message}`);
  }
  if (!isObject(json)) throw new NodeSetError('MALFORMED', 'expected a JSON object of nodes');
  const set: NodeSet = new Map();
  for (const [id, value] of Object.entries(json)) {
    set.set(id.toLowerCase(), parseEntry(id, value));
  }
  return set;
}

function parseEntry(id: string, value: unknown): NodeSetEntry {
  const bad = (what: string) => new NodeSetError('INVALID_ENTRY', `node ${id}: ${what}`);
  if (!isObject(value)) throw bad('expected an object');
  const { record, seq, score = 0 } = value;
  if (typeof record !== 'string') throw bad('missing record');
  let node: Node;
  try {
    node = Node.parse(record);
  } catch (err) {
    throw bad(`invalid record: ${(err as Error).message}`);
  }
  if (nodeIdToHex(node.id) !== id.toLowerCase()) throw bad('the record has another node ID');
  if (typeof seq !== 'number' || seq !== Number(node.seq))
    throw bad("'seq' does not match the record");
  if (typeof score !== 'number' || !Number.isSafeInteger(score))
    throw bad("'score' is not an integer");
  return {
    node,
    score,
    firstResponse: parseTime(value.firstResponse, () => bad("bad 'firstResponse'")),
    lastResponse: parseTime(value.lastResponse, () => bad("bad 'lastResponse'")),
    lastCheck: parseTime(value.lastCheck, () => bad("bad 'lastCheck'")),
  };
}

function parseTime(value: unknown, bad: () => Error): number | undefined {
  if (value === undefined || value === GO_ZERO_TIME) return undefined;
  if (typeof value !== 'string') throw bad();
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw bad();
  return ms < Date.parse(GO_ZERO_TIME) + 1000 ? undefined : ms;
}

/**
 * The set as nodes.json text, as geth writes it: keys sorted, 4-space indent, `score` left out
 * when 0, times in UTC to the second. Ends with a newline.
 */
export function formatNodeSet(set: NodeSet): string {
  const sorted = [...set].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (sorted.length === 0) return '{}\n';
  const blocks = sorted.map(([id, e]) => {
    const fields = [
      `"seq": ${e.node.seq}`,
      `"record": ${JSON.stringify(e.node.toString())}`,
      ...(e.score === 0 ? [] : [`"score": ${e.score}`]),
      `"firstResponse": "${formatTime(e.firstResponse)}"`,
      `"lastResponse": "${formatTime(e.lastResponse)}"`,
      `"lastCheck": "${formatTime(e.lastCheck)}"`,
    ];
    return `    ${JSON.stringify(id)}: {\n${fields.map((f) => `        ${f}`).join(',\n')}\n    }`;
  });
  return `{\n${blocks.join(',\n')}\n}\n`;
}

/** RFC 3339 in UTC, whole seconds (geth truncates to the second); Go's zero time for `undefined`. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return GO_ZERO_TIME;
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
