/**
 * The server suite: how long 20 local nodes take to reach their peer targets, ethp2p `Server`s
 * finding each other through an in-memory node source and dialing on their own, next to
 * @ethereumjs/devp2p nodes told explicitly whom to connect to; plus ethp2p's
 * discovery-to-dial latency (from a candidate reaching the dial scheduler to its dial starting).
 * @module
 */
import { setMaxListeners } from 'node:events';
import { type EjsMeshResult, formEjsMesh } from './server-ejs.ts';
import { formOurMesh, type MeshConfig, type MeshResult } from './server-ours.ts';
import { formatTable } from './timing.ts';

const NODES = 20;
const RUNS = 3;
/** Bound of one mesh formation. */
const FORM_TIMEOUT_MS = 20_000;

/** MaxPeers 6 and the default DialRatio 3: each server dials 2 and accepts up to 4. */
const SPARSE: MeshConfig = {
  label: 'MaxPeers 6, dial 2',
  nodes: NODES,
  maxPeers: 6,
  dialRatio: 3,
  targetPeers: 2,
};
/**
 * Every node connected to every other (19 peers each). DialRatio 1 would leave no inbound
 * slots (geth's maxInboundConns = MaxPeers - MaxPeers/DialRatio = 0) and no connection could
 * form, so MaxPeers 38 with DialRatio 2 gives 19 dial slots and 19 inbound slots. When two
 * nodes dial each other at once, each keeps the connection it added first and refuses the other
 * with AlreadyConnected, so now and then both are lost and the pair waits for the dial history
 * to expire: 1 s here instead of 35 s, which would make every run last about 36 s.
 */
const MESH: MeshConfig = {
  label: 'full mesh, 19 each',
  nodes: NODES,
  maxPeers: 2 * (NODES - 1),
  dialRatio: 2,
  targetPeers: NODES - 1,
  historyExpirationMs: 1_000,
};

/** The bound of one formation; every node of it may wait on it at once. */
function formSignal(): AbortSignal {
  const signal = AbortSignal.timeout(FORM_TIMEOUT_MS);
  setMaxListeners(4 * NODES, signal);
  return signal;
}

/** ethereumjs edges of the sparse case: i dials i+1 and i+2 (2 out, 2 in, 4 peers each). */
const ringOf2 = (i: number): number[] => [(i + 1) % NODES, (i + 2) % NODES];
/** ethereumjs edges of the full mesh: i dials every j > i. */
const allAbove = (i: number): number[] =>
  Array.from({ length: NODES - 1 - i }, (_, k) => i + 1 + k);

/** The median of `xs` (lower middle for an even count). */
function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

function ms(x: number | null): string {
  if (x === null || Number.isNaN(x)) return 'n/a';
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

/** min / median / max of a peer count list. */
function spread(peers: readonly number[]): string {
  return `${Math.min(...peers)}/${median(peers)}/${Math.max(...peers)}`;
}

/** `RUNS` formations of one stack; failures (timeouts) are kept as messages. */
async function runs<T>(form: (run: number) => Promise<T>): Promise<{ ok: T[]; failed: string[] }> {
  const ok: T[] = [];
  const failed: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    try {
      ok.push(await form(run));
    } catch (err) {
      failed.push(err instanceof Error ? err.message : String(err));
    }
  }
  return { ok, failed };
}

interface Scenario {
  readonly config: MeshConfig;
  readonly ours: { ok: MeshResult[]; failed: string[] };
  readonly ejs: { ok: EjsMeshResult[]; failed: string[] };
}

async function scenario(config: MeshConfig, edges: (i: number) => number[]): Promise<Scenario> {
  const ours = await runs((run) => formOurMesh(config, run + 1, formSignal()));
  const ejs = await runs(() =>
    formEjsMesh(
      { nodes: config.nodes, maxPeers: config.maxPeers, edges, targetPeers: config.targetPeers },
      formSignal(),
    ),
  );
  return { config, ours, ejs };
}

function printScenarios(scenarios: readonly Scenario[]): void {
  const rows = scenarios.map(({ config, ours, ejs }) => {
    const o = ours.ok.length > 0 ? median(ours.ok.map((r) => r.elapsedMs)) : null;
    const e = ejs.ok.length > 0 ? median(ejs.ok.map((r) => r.elapsedMs)) : null;
    return [
      `${config.label}: ms`,
      ms(o),
      ms(e),
      o !== null && e !== null ? `${(e / o).toFixed(1)}x` : 'n/a',
      ours.ok[0] === undefined ? '' : spread(ours.ok[0].peers),
      ejs.ok[0] === undefined ? '' : spread(ejs.ok[0].peers),
    ];
  });
  const header = [
    `${NODES} nodes to target`,
    'ethp2p',
    '@ethereumjs/devp2p',
    'ratio',
    'peers ethp2p',
    'peers ejs',
  ];
  console.log(formatTable(header, rows));
}

function printLatency(scenarios: readonly Scenario[]): void {
  const rows = scenarios.flatMap(({ config, ours }) => {
    const count = ours.ok.reduce((n, r) => n + r.latencyCount, 0);
    const total = ours.ok.reduce((n, r) => n + r.latencyMeanMs * r.latencyCount, 0);
    const max = count === 0 ? Number.NaN : Math.max(...ours.ok.map((r) => r.latencyMaxMs));
    const attempts = ours.ok.reduce((n, r) => n + r.attempts, 0);
    const failed = ours.ok.reduce((n, r) => n + r.failed, 0);
    return [
      [config.label, String(count), ms(count === 0 ? Number.NaN : total / count), ms(max)],
      [`  dial attempts / failed`, `${attempts} / ${failed}`, '', ''],
    ];
  });
  console.log(formatTable(['discovery-to-dial (ethp2p)', 'dials', 'mean ms', 'max ms'], rows));
}

/** Runs the suite and prints its tables. */
export async function runServerBench(): Promise<void> {
  const scenarios = [await scenario(SPARSE, ringOf2), await scenario(MESH, allAbove)];
  console.log(`server: ${NODES} nodes on 127.0.0.1, median of ${RUNS} runs\n`);
  printScenarios(scenarios);
  const notes = [
    'time: from starting the listeners until every node holds the target (MaxPeers 6: >= 2, ' +
      'its dial slots; full mesh: 19); peers columns: min/median/max peers per node then (run 1)',
    'ethp2p: each Server dials on its own (dial scheduler, random nodes + lookups) from a ' +
      'shared in-memory node source that shows every other started server at once; a ' +
      'one-message-code protocol; default timings (lookups at most every 4 s)',
    'ethereumjs: no dial scheduler without its DPT, so every edge is an explicit connect(), ' +
      'all at once (ring of 2 for MaxPeers 6: 4 peers each; every pair once for the mesh), and ' +
      'each peer sends an eth Status (it drops peers without one after 5 s); it does less work ' +
      '(no discovery, no refused dials), so the ratio favours it',
    'full mesh: MaxPeers 38, DialRatio 2 (DialRatio 1 leaves 0 inbound slots: geth ' +
      'maxInboundConns = MaxPeers - MaxPeers/DialRatio); dial history 1 s instead of 35 s, since ' +
      'pairs that dial each other at once sometimes refuse both connections (AlreadyConnected) ' +
      'and wait for it to expire (with 35 s a run takes ~36 s); the ~4 s left is the lookup ' +
      'interval, after which the lost pairs are found again (with lookups every 0.5 s: ~1.2 s)',
  ];
  for (const s of scenarios) {
    for (const [who, failed] of [
      ['ethp2p', s.ours.failed],
      ['ethereumjs', s.ejs.failed],
    ] as const) {
      if (failed.length > 0)
        notes.push(`${s.config.label}, ${who}: ${failed.length} run(s) failed: ${failed[0]}`);
    }
    const errors = s.ejs.ok.reduce((n, r) => n + r.errors, 0);
    if (errors > 0) notes.push(`${s.config.label}, ethereumjs: ${errors} connect/peer errors`);
  }
  console.log(`${notes.map((n) => `- ${n}`).join('\n')}\n`);
  printLatency(scenarios);
  console.log(
    '- latency: DialMetrics.latency, from the source yielding a node to its dial starting, ' +
      'over every dynamic dial of every run; failed dials of the full mesh are crossing dials ' +
      'refused with AlreadyConnected\n',
  );
}
