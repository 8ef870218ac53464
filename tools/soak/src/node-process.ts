/**
 * The parent's handle on the soak's node process: it forks `node-child.js` with `--expose-gc`,
 * waits for its enode URL, asks it for samples and stops it.
 * @module
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { distScript } from './dist-file.ts';
import { encodeNodeArgs, type FromNode, type NodeArgs, type ToNode } from './node-messages.ts';
import type { MemorySample } from './sample.ts';

/** How long the node may take to start, answer a sample or stop, in ms. */
const NODE_REPLY_TIMEOUT_MS = 30_000;

/**
 * A running node process. One caller drives it: {@link NodeProcess.sample} and
 * {@link NodeProcess.stop} are not called concurrently.
 */
export class NodeProcess {
  /** The node's enode URL (127.0.0.1, its TCP port). */
  readonly enode: string;
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess, enode: string) {
    this.#child = child;
    this.enode = enode;
  }

  /** Forks the node and waits until it listens. @throws when it exits or times out first */
  static async start(args: NodeArgs): Promise<NodeProcess> {
    const child = fork(distScript('node-child'), encodeNodeArgs(args), {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      const ready = await reply(child, 'ready');
      return new NodeProcess(child, ready.enode);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
  }

  /** The process ID. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Asks the node to measure itself (it runs a full GC first). */
  async sample(elapsedMs: number): Promise<MemorySample> {
    const answer = reply(this.#child, 'sample');
    this.#send({ type: 'sample', elapsedMs });
    return (await answer).sample;
  }

  /** Stops the node cleanly and waits for the process to exit; kills it if it does not. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = once(this.#child, 'exit');
    try {
      const stopped = reply(this.#child, 'stopped');
      this.#send({ type: 'stop' });
      await stopped;
    } catch {
      this.#child.kill('SIGKILL');
    }
    await exited;
  }

  #send(message: ToNode): void {
    this.#child.send(message);
  }
}

/** The child's next message of `type`; rejects if it exits or stays silent too long. */
function reply<T extends FromNode['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromNode, { type: T }>> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: FromNode): void => {
      if (message.type !== type) return;
      done();
      resolve(message as Extract<FromNode, { type: T }>);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      done();
      reject(new Error(`soak node exited (${signal ?? code}) before '${type}'`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`soak node: no '${type}' within ${NODE_REPLY_TIMEOUT_MS} ms`));
    }, NODE_REPLY_TIMEOUT_MS);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
