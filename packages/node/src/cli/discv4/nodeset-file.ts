/**
 * Reading and writing nodes.json files for the commands that work on node sets.
 * @module
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { CommandContext } from '../command.ts';
import { failure } from '../errors.ts';
import { formatNodeSet, type NodeSet, NodeSetError, parseNodeSet } from './nodeset.ts';

/**
 * Reads a nodes.json file; a missing file is an empty set when `missingOk`.
 * @throws {CliError} when the file cannot be read or is not a valid node set
 */
export async function loadNodeSet(file: string, missingOk: boolean): Promise<NodeSet> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (missingOk && (err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw failure(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return parseNodeSet(text);
  } catch (err) {
    if (err instanceof NodeSetError) throw failure(`${file}: ${err.message}`, { cause: err });
    throw err;
  }
}

/** Writes the set to `file` (replaced atomically), or prints it when `file` is undefined. */
export async function writeNodeSet(
  ctx: CommandContext,
  file: string | undefined,
  nodes: NodeSet,
): Promise<void> {
  const text = formatNodeSet(nodes);
  if (file === undefined) {
    ctx.io.stdout.write(text);
    return;
  }
  await writeTextFile(file, text);
}

/**
 * Writes `text` to `file`, replacing it atomically (a temporary file renamed over it).
 * @throws {CliError} when the file cannot be written
 */
export async function writeTextFile(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o644 });
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw failure(`cannot write ${file}: ${(err as Error).message}`, { cause: err });
  }
}
