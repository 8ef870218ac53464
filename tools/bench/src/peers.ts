/**
 * `pnpm bench peers`: N live RLPx/eth peers on loopback against one node, the peers in forked
 * worker processes and the node in a forked host process of its own (so every figure is the
 * node's alone and each run starts from a fresh heap). For each N: heap and RSS per idle peer,
 * transaction gossip through the node (announcements in, fetches, relays out), event-loop
 * delay p99 and CPU per message under that load; the idle figures also for an
 * @ethereumjs/devp2p node, with the ratio.
 *
 * Settings (environment): `PEERS` (default `100,500,1000`), `PEERS_WORKERS` (peer processes,
 * default one per 250 peers), `PEERS_SETTLE_MS` (idle time before measuring, default 5000),
 * `PEERS_GOSSIP_MS` (default 10000; 0 skips gossip), `PEERS_TX_RATE` (offered transactions per
 * second, default 1000), `PEERS_PER_ANN` (hashes per announcement, default 4), `PEERS_EJS=0`
 * (skip ethereumjs), `PEERS_HEAP_SNAPSHOT=<dir>` (write the node's heap with its idle peers, and
 * before they connected),
 * `PEERS_CPU_PROFILE=<dir>` (write each host's CPU profile).
 * @module
 */
import { execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostData, HostFigures, Stack } from './peers/protocol.ts';
import { formatTable } from './timing.ts';

/** File descriptors one process needs besides its sockets (modules, stdio, epoll, pipes). */
const FD_HEADROOM = 64;

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${name}: expected a number, got ${raw}`);
  return n;
}

function peerCounts(): number[] {
  const raw = process.env.PEERS ?? '100,500,1000';
  return raw.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`PEERS: bad count ${s}`);
    return n;
  });
}

/** The soft descriptor limit of this process (children inherit it), or null if unknown. */
export function descriptorLimit(): number | null {
  try {
    const out = execFileSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
  } catch {
    return null;
  }
}

/** A line on whether the descriptor limit covers `peers` connections, and what to do if not. */
export function descriptorAdvice(limit: number | null, peers: number): string | null {
  const need = peers + FD_HEADROOM;
  if (limit === null) return `could not read ulimit -n; the node needs about ${need} descriptors`;
  if (limit >= need) return null;
  return (
    `ulimit -n is ${limit}, but ${peers} peers need about ${need} descriptors in the node: ` +
    `raise it in this shell with \`ulimit -n ${Math.max(4096, need)}\` (up to the hard limit, ` +
    '`ulimit -Hn`), or for a service set LimitNOFILE= (systemd) / nofile in limits.conf; ' +
    'see docs/guides/running-a-node.md ("Many peers")'
  );
}

/** `PEERS_CPU_PROFILE=<dir>`: each host writes a V8 CPU profile there. */
const profileDir = process.env.PEERS_CPU_PROFILE;

async function runHost(data: HostData): Promise<HostFigures> {
  const script = fileURLToPath(new URL('./peers/host.js', import.meta.url));
  const child = fork(script, [JSON.stringify(data)], {
    execArgv: [
      '--expose-gc',
      ...(profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const [figures] = (await Promise.race([
    once(child, 'message'),
    exited.then(([code]) => {
      throw new Error(`peers host (${data.stack}, ${data.peers}) exited with ${String(code)}`);
    }),
  ])) as [HostFigures];
  await exited;
  return figures;
}

const KIB = 1024;

function kib(bytes: number): string {
  return (bytes / KIB).toFixed(1);
}

/** The memory figures of one host run. */
type Memory = Pick<HostFigures, 'heapIdle' | 'heapBefore' | 'rssIdle' | 'rssBefore' | 'connected'>;

/** Growth of the node's heap or RSS with its idle peers over the node without peers. */
function growth(f: Memory, key: 'heap' | 'rss'): number {
  return key === 'heap' ? f.heapIdle - f.heapBefore : f.rssIdle - f.rssBefore;
}

function perPeer(f: Memory, key: 'heap' | 'rss'): number {
  return growth(f, key) / Math.max(1, f.connected);
}

/**
 * What one more idle peer costs: the slope of the growth between two runs with different peer
 * counts, `(growth(b) − growth(a)) / (peers(b) − peers(a))`. Unlike the average (growth /
 * peers) it leaves out what the node spends once for having peers at all (code compiled and
 * optimised on the first connections, pools and caches warmed up), which the average spreads
 * over few peers at small N. NaN without two distinct peer counts.
 */
export function marginalPerPeer(a: Memory, b: Memory, key: 'heap' | 'rss'): number {
  const peers = b.connected - a.connected;
  return peers === 0 ? Number.NaN : (growth(b, key) - growth(a, key)) / peers;
}

function fixed(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

/** Runs the suite and prints its tables. */
export async function runPeersBench(): Promise<void> {
  const counts = peerCounts();
  const limit = descriptorLimit();
  const largest = Math.max(...counts);
  const advice = descriptorAdvice(limit, largest);
  console.log(`peers: live RLPx/eth peers on 127.0.0.1 (ulimit -n ${limit ?? 'unknown'})`);
  if (advice !== null) {
    console.log(`- ${advice}`);
    return;
  }
  const settleMs = envNumber('PEERS_SETTLE_MS', 5_000);
  const gossipMs = envNumber('PEERS_GOSSIP_MS', 10_000);
  const txRate = envNumber('PEERS_TX_RATE', 1_000);
  const perAnnouncement = envNumber('PEERS_PER_ANN', 4);
  const snapshotDir = process.env.PEERS_HEAP_SNAPSHOT;
  const stacks: Stack[] = process.env.PEERS_EJS === '0' ? ['ethp2p'] : ['ethp2p', 'ejs'];
  const results: { ours: HostFigures; ejs: HostFigures | null }[] = [];
  for (const peers of counts) {
    const workers = envNumber('PEERS_WORKERS', Math.max(1, Math.ceil(peers / 250)));
    const run = (stack: Stack): Promise<HostFigures> =>
      runHost({
        stack,
        peers,
        workers,
        settleMs,
        gossipMs: stack === 'ethp2p' ? gossipMs : 0,
        txRate,
        perAnnouncement,
        ...(snapshotDir === undefined
          ? {}
          : { heapSnapshot: join(snapshotDir, `peers-${stack}-${peers}.heapsnapshot`) }),
      });
    const ours = await run('ethp2p');
    const ejs = stacks.includes('ejs')
      ? await run('ejs').catch((err: unknown) => {
          console.log(`- ejs with ${peers} peers failed: ${String(err)}`);
          return null;
        })
      : null;
    results.push({ ours, ejs });
  }
  printIdle(results);
  printGossip(
    results.map((r) => r.ours),
    txRate,
    perAnnouncement,
  );
}

function printIdle(unsorted: readonly { ours: HostFigures; ejs: HostFigures | null }[]): void {
  const results = [...unsorted].sort((a, b) => a.ours.peers - b.ours.peers);
  const notes: string[] = [];
  const rows = results.map(({ ours, ejs }, i) => {
    const prev = i === 0 ? undefined : results[i - 1];
    const heap = perPeer(ours, 'heap');
    const slope = prev === undefined ? Number.NaN : marginalPerPeer(prev.ours, ours, 'heap');
    const ejsHeap = ejs === null ? Number.NaN : perPeer(ejs, 'heap');
    const ejsSlope =
      ejs === null || prev?.ejs == null ? Number.NaN : marginalPerPeer(prev.ejs, ejs, 'heap');
    if (prev !== undefined && Number.isFinite(slope)) {
      const fixedCost = growth(ours, 'heap') - slope * ours.connected;
      notes.push(
        `N=${prev.ours.peers}→${ours.peers}: the node's heap grows by ${kib(slope)} KiB per idle ` +
          `peer plus ${kib(fixedCost)} KiB once (its cost of having peers at all)`,
      );
    }
    return [
      String(ours.peers),
      `${ours.connected}`,
      fixed(ours.connectSeconds, 1),
      kib(heap),
      kibOrNa(slope),
      kib(perPeer(ours, 'rss')),
      kibOrNa(prev === undefined ? Number.NaN : marginalPerPeer(prev.ours, ours, 'rss')),
      fixed(ours.idleCpuMsPerS, 1),
      fixed(ours.idleLoopP99Ms, 1),
      ejs === null ? 'n/a' : `${ejs.connected}`,
      kibOrNa(ejsHeap),
      kibOrNa(ejsSlope),
      ejs === null ? 'n/a' : kib(perPeer(ejs, 'rss')),
      ejs === null ? 'n/a' : fixed(ejs.idleCpuMsPerS, 1),
      ejs === null ? 'n/a' : `${fixed(ejsHeap / heap, 2)}x`,
      Number.isFinite(ejsSlope / slope) ? `${fixed(ejsSlope / slope, 2)}x` : 'n/a',
    ];
  });
  console.log(
    '\nidle peers (after GC; per peer = growth over the node without peers / peers; ' +
      'slope = growth from the previous N / peers added)',
  );
  console.log(
    formatTable(
      [
        'N',
        'up',
        'connect s',
        'heap KiB/peer',
        'heap slope',
        'RSS KiB/peer',
        'RSS slope',
        'idle CPU ms/s',
        'idle p99 ms',
        'ejs up',
        'ejs heap KiB/peer',
        'ejs heap slope',
        'ejs RSS KiB/peer',
        'ejs CPU ms/s',
        'ejs/ours heap',
        'ejs/ours slope',
      ],
      rows,
    ),
  );
  console.log(
    '- the slope is what one more idle peer costs; the per-peer average also carries the ' +
      "node's one-off cost of having peers (code optimised, pools and caches warmed on the first " +
      'connections) divided by N, so it overstates the cost at small N',
  );
  for (const n of notes) console.log(`- ${n}`);
  for (const { ours, ejs } of results) {
    for (const n of [...ours.notes, ...(ejs?.notes ?? [])]) console.log(`- N=${ours.peers}: ${n}`);
  }
}

function kibOrNa(bytes: number): string {
  return Number.isFinite(bytes) ? kib(bytes) : 'n/a';
}

function printGossip(results: readonly HostFigures[], txRate: number, perAnn: number): void {
  const rows = results.flatMap((f) => {
    const g = f.gossip;
    if (g === null) return [];
    const perS = (n: number): string => fixed(n / g.seconds, 0);
    const messages = g.messagesIn + g.messagesOut;
    return [
      [
        String(f.peers),
        perS(g.announcementsIn),
        perS(g.pooledIn),
        perS(g.txsAdded),
        perS(g.announcementsOut),
        perS(g.transactionsOut),
        perS(messages),
        fixed(g.loopP99Ms, 1),
        fixed(g.loopMaxMs, 0),
        fixed((g.cpuMs * 1000) / Math.max(1, messages), 1),
        fixed((g.cpuMs / (g.seconds * 1000)) * 100, 0),
        kib((g.heapAfter - f.heapBefore) / Math.max(1, f.connected)),
      ],
    ];
  });
  if (rows.length === 0) return;
  console.log(
    `\ngossip through the node (ethp2p only): peers announce ${txRate} new tx/s in ` +
      `announcements of ${perAnn}; the node fetches them and relays them to the other peers`,
  );
  console.log(
    formatTable(
      [
        'N',
        'ann in/s',
        'pooled in/s',
        'new tx/s',
        'ann out/s',
        'txs out/s',
        'msgs/s',
        'p99 ms',
        'max ms',
        'CPU µs/msg',
        'CPU %',
        'heap KiB/peer after',
      ],
      rows,
    ),
  );
  console.log(
    "- msgs/s: eth messages in and out of the node; CPU µs/msg: the node process's user+system " +
      'CPU over the phase / those messages; p99/max: event-loop delay (monitorEventLoopDelay); ' +
      'heap after: per peer after GC once the gossip stopped (known-sets filled)\n' +
      '- @ethereumjs/devp2p has no transaction pool or relay, so gossip has no ejs column',
  );
}
