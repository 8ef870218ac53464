/**
 * The node crash loop: a full `ethp2p node` on a soak genesis, pinged by discovery v4 nodes of
 * this process so that it keeps writing its node database, is killed with SIGKILL at a random
 * moment and restarted on the same datadir. Each start must keep the node ID (the `nodekey`),
 * take over the `LOCK` the killed node left, and open its database without a repair; the last
 * start is stopped with SIGTERM and must exit 0 and remove `LOCK`.
 * @module
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { generatePrivateKey } from '@ethp2p/crypto';
import { type ListeningDiscovery, listenDiscovery } from '@ethp2p/discovery';
import { Node } from '@ethp2p/enode';
import { SOAK_GENESIS_JSON } from '../chain.ts';
import { type LoopOptions, RecordedChild } from './child.ts';

/** The `ethp2p` launcher (it runs the built CLI). */
const ETHP2P_BIN = fileURLToPath(
  new URL('../../../../packages/node/bin/ethp2p.js', import.meta.url),
);
/** How long the node may take to print its enode URL, in ms. */
const START_TIMEOUT_MS = 30_000;
/** Discovery nodes pinging the node while it runs. */
const PINGERS = 6;
/** The kill comes this long at least after the node started, in ms (discovery is writing). */
const MIN_KILL_DELAY_MS = 200;

/**
 * Options of {@link runNodeCrashLoop}; the kill comes {@link MIN_KILL_DELAY_MS} to
 * `maxKillDelayMs` after the start.
 */
export interface NodeLoopOptions extends LoopOptions {
  /** A directory for the genesis and the datadir (created by the caller). */
  readonly dir: string;
  /** SIGKILLs, each followed by a restart. */
  readonly kills: number;
}

/** What the loop found. */
export interface NodeLoopResult {
  readonly kills: number;
  /** Restarts that came back with the first start's node ID. */
  readonly keysVerified: number;
  /** Kills after which `LOCK` was left behind (and taken over by the next start). */
  readonly staleLocks: number;
  /** Pings the node answered while it ran. */
  readonly pongs: number;
  readonly problems: readonly string[];
}

/** Runs the loop. @throws when the node fails to start at all */
export async function runNodeCrashLoop(options: NodeLoopOptions): Promise<NodeLoopResult> {
  const genesis = join(options.dir, 'genesis.json');
  const datadir = join(options.dir, 'datadir');
  await writeFile(genesis, SOAK_GENESIS_JSON);
  const problems: string[] = [];
  let identity: string | undefined;
  let keysVerified = 0;
  let staleLocks = 0;
  let pongs = 0;
  for (let k = 0; k <= options.kills; k++) {
    const node = new RecordedChild([ETHP2P_BIN, ...nodeArgs(genesis, datadir)]);
    const url = (await node.waitForLine(/^enode:\/\/[0-9a-f]{128}@\S+$/, START_TIMEOUT_MS))[0];
    const id = url.slice('enode://'.length, 'enode://'.length + 128);
    if (identity === undefined) identity = id;
    else if (id === identity) keysVerified++;
    else
      problems.push(
        `start ${k}: the node came back as ${id.slice(0, 16)}…, not ${identity.slice(0, 16)}…`,
      );
    const lockPid = (await readFile(join(datadir, 'LOCK'), 'utf8').catch(() => '')).trim();
    if (lockPid !== String(node.pid))
      problems.push(`start ${k}: LOCK holds '${lockPid}', not the node's pid ${node.pid}`);
    if (k === options.kills) {
      await node.kill('SIGTERM');
      problems.push(...startProblems(k, node.stderr));
      if (await exists(join(datadir, 'LOCK'))) problems.push('a clean stop left LOCK behind');
      options.out(
        `crash node: start ${k}: stopped cleanly (SIGTERM)${(await exists(join(datadir, 'LOCK'))) ? ', LOCK left' : ', LOCK removed'}`,
      );
      break;
    }
    const pinging = new AbortController();
    const pingers = pingNode(Node.parse(url), pinging.signal);
    const wait =
      MIN_KILL_DELAY_MS + options.random.intn(options.maxKillDelayMs - MIN_KILL_DELAY_MS + 1);
    await delay(wait);
    await node.kill('SIGKILL');
    pinging.abort();
    const answered = await pingers;
    pongs += answered;
    problems.push(...startProblems(k, node.stderr));
    const stale = await exists(join(datadir, 'LOCK'));
    if (stale) staleLocks++;
    options.out(
      `crash node: start ${k}: killed after ${wait} ms, ${answered} pings answered, LOCK ${stale ? 'left behind' : 'gone'}`,
    );
  }
  return { kills: options.kills, keysVerified, staleLocks, pongs, problems };
}

function nodeArgs(genesis: string, datadir: string): string[] {
  return [
    'node',
    ...['--genesis', genesis, '--datadir', datadir],
    ...['--listen.ip', '127.0.0.1', '--port', '0', '--nat', 'extip:127.0.0.1'],
  ];
}

/** Warnings of a start that mean the database was not opened as it was left. */
function startProblems(k: number, stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => /damaged|repair|unrecoverable|flushing|corrupt/i.test(line))
    .map((line) => `start ${k}: ${line}`);
}

/** Discovery nodes pinging `node` until `signal`; resolves with the pongs they got. */
async function pingNode(node: Node, signal: AbortSignal): Promise<number> {
  let pongs = 0;
  const started: ListeningDiscovery[] = [];
  const pinger = async (): Promise<void> => {
    const disc = await listenDiscovery({
      privateKey: generatePrivateKey(),
      v5: false,
      bootnodes: [node],
    });
    started.push(disc);
    while (!signal.aborted) {
      try {
        await disc.v4?.ping(node, {
          signal: AbortSignal.any([signal, AbortSignal.timeout(1_000)]),
        });
        pongs++;
      } catch {
        // The node is being killed, or the ping timed out: try again until told to stop.
        await delay(20);
      }
    }
  };
  await Promise.all(Array.from({ length: PINGERS }, pinger));
  await Promise.all(started.map((d) => d.stop()));
  return pongs;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
