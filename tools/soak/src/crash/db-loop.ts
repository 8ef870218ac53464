/**
 * The database crash loop: a writer process (`writer.ts`) writes batches into a datadir's node
 * database and is killed with SIGKILL at a random moment, again and again on the same datadir.
 * After each kill this process checks that the node key is unchanged, that the database opens
 * without any repair or flush, that every batch the writer reported committed is there, and that
 * nothing past the batch in flight was written.
 * @module
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { MemoryLogger, type Random } from '@ethp2p/base';
import { bytesToHex, publicKey } from '@ethp2p/crypto';
import { loadNodeKey, NodeDatabase, nodeIdFromPublicKey } from '@ethp2p/enode';
import { distScript } from '../dist-file.ts';
import { batchPresence } from './batches.ts';
import { type LoopOptions, RecordedChild } from './child.ts';

/** How long the writer may take to print its key, in ms. */
const START_TIMEOUT_MS = 20_000;
/** Earlier batches re-checked after each kill, at random. */
const RECHECKED_BATCHES = 32;

/** Options of {@link runDbCrashLoop}; the kill comes 0 to `maxKillDelayMs` after the key line. */
export interface DbLoopOptions extends LoopOptions {
  /** The datadir (created by the caller; reused across iterations). */
  readonly datadir: string;
  readonly iterations: number;
}

/** What the loop found. */
export interface DbLoopResult {
  readonly iterations: number;
  /** Batches reported committed over all iterations. */
  readonly batches: number;
  /** Kills that came before the database was open. */
  readonly killedBeforeOpen: number;
  /** Times the key file was read back and matched the first key (after each kill). */
  readonly keysVerified: number;
  /** Node records read back and found intact. */
  readonly recordsVerified: number;
  /** Temporary key files a kill left behind (`nodekey.<pid>.tmp`). */
  readonly leftoverKeyTemps: number;
  /** Everything that went wrong; empty when the database survived every kill. */
  readonly problems: readonly string[];
}

/** Runs the loop. */
export async function runDbCrashLoop(options: DbLoopOptions): Promise<DbLoopResult> {
  const { datadir, random, out } = options;
  const problems: string[] = [];
  let identity: string | undefined;
  let committed = -1;
  let killedBeforeOpen = 0;
  let keysVerified = 0;
  let recordsVerified = 0;
  for (let i = 0; i < options.iterations; i++) {
    const first = committed + 1;
    const child = new RecordedChild([distScript('crash/writer'), datadir, String(first)]);
    const key = (await child.waitForLine(/^key ([0-9a-f]{64})$/, START_TIMEOUT_MS))[1] ?? '';
    await delay(random.intn(options.maxKillDelayMs + 1));
    await child.kill('SIGKILL');
    const round = writerRound(child, first);
    problems.push(...round.problems.map((p) => `iteration ${i}: ${p}`));
    if (!round.opened) killedBeforeOpen++;
    identity ??= key;
    if (key !== identity)
      problems.push(`iteration ${i}: the writer loaded key ${key}, not ${identity}`);
    const check = await checkDatadir(datadir, identity, committed, round.last, random);
    problems.push(...check.problems.map((p) => `iteration ${i}: ${p}`));
    keysVerified++;
    recordsVerified += check.records;
    const wrote =
      round.last < first ? 'no batch committed' : `batches ${first}..${round.last} committed`;
    const when = round.opened ? '' : ' (killed before the database was open)';
    const verdict = check.problems.length === 0 ? 'ok' : 'PROBLEMS';
    out(`crash db: kill ${i + 1}/${options.iterations}: ${wrote}${when}; reopened: ${verdict}`);
    committed = round.last;
  }
  recordsVerified += await finalCheck(datadir, committed, problems);
  const leftoverKeyTemps = (await readdir(datadir)).filter((f) =>
    /^nodekey\..*\.tmp$/.test(f),
  ).length;
  return {
    iterations: options.iterations,
    batches: committed + 1,
    killedBeforeOpen,
    keysVerified,
    recordsVerified,
    leftoverKeyTemps,
    problems,
  };
}

/** What a killed writer printed: whether it opened, its last committed batch, and oddities. */
function writerRound(
  child: RecordedChild,
  first: number,
): { opened: boolean; last: number; problems: string[] } {
  const problems: string[] = [];
  let last = first - 1;
  for (const line of child.lines) {
    const match = /^committed ([0-9]+)$/.exec(line);
    if (match === null) continue;
    const b = Number(match[1]);
    if (b !== last + 1) problems.push(`committed ${b} after ${last}`);
    last = b;
  }
  if (/damaged|repair|flush|unrecoverable/i.test(child.stderr)) {
    problems.push(`the writer reported: ${child.stderr.trim()}`);
  }
  return { opened: child.lines.includes('open'), last, problems };
}

/**
 * Opens the datadir as a restarted node would and checks it: the key, no repair or flush, the
 * batches `previous + 1 ..= last` and a sample of earlier ones all present, `last + 2` absent.
 */
async function checkDatadir(
  datadir: string,
  identity: string,
  previous: number,
  last: number,
  random: Random,
): Promise<{ problems: string[]; records: number }> {
  const problems: string[] = [];
  const key = await loadNodeKey(join(datadir, 'nodekey'));
  const id = bytesToHex(nodeIdFromPublicKey(publicKey(key)));
  if (id !== identity) problems.push(`the key file now holds ${id}, not ${identity}`);
  const { db, warnings } = await openChecked(datadir, problems);
  let records = 0;
  try {
    const batches = [...range(previous + 1, last)];
    for (let n = 0; n < RECHECKED_BATCHES && previous >= 0; n++)
      batches.push(random.intn(previous + 1));
    for (const b of batches) {
      const presence = await batchPresence(db, b);
      if (presence === 'all') records++;
      else
        problems.push(
          `committed batch ${b} is ${presence === 'none' ? 'missing' : 'partly missing'}`,
        );
    }
    if ((await batchPresence(db, last + 2)) !== 'none') {
      problems.push(`batch ${last + 2} is there, though only batch ${last + 1} was in flight`);
    }
  } finally {
    await db.close();
  }
  problems.push(...warnings.lines.map((l) => `opening warned: ${l.msg}`));
  return { problems, records };
}

/** Reads every committed batch once more at the end; returns how many were intact. */
async function finalCheck(datadir: string, last: number, problems: string[]): Promise<number> {
  const { db, warnings } = await openChecked(datadir, problems);
  let intact = 0;
  try {
    for (const b of range(0, last)) {
      if ((await batchPresence(db, b)) === 'all') intact++;
      else problems.push(`final check: committed batch ${b} is not all there`);
    }
  } finally {
    await db.close();
  }
  problems.push(...warnings.lines.map((l) => `final open warned: ${l.msg}`));
  return intact;
}

/** Opens `<datadir>/nodes` with a recording logger; a moved-aside copy is a problem too. */
async function openChecked(
  datadir: string,
  problems: string[],
): Promise<{ db: NodeDatabase; warnings: MemoryLogger }> {
  const warnings = new MemoryLogger();
  const db = await NodeDatabase.open({ path: join(datadir, 'nodes'), logger: warnings });
  const aside = (await readdir(datadir)).filter((f) => f.startsWith('nodes.corrupt'));
  if (aside.length > 0) problems.push(`the database was moved aside: ${aside.join(', ')}`);
  return { db, warnings };
}

function* range(from: number, to: number): Generator<number> {
  for (let b = from; b <= to; b++) yield b;
}
