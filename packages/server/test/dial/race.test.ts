import { nodeIdToHex } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { DIAL_HISTORY_EXPIRATION_MS } from '../../src/dial/constants.ts';
import { PeerError } from '../../src/errors.ts';
import { DiscReason } from '../../src/wire/disc-reason.ts';
import { type DialEnv, dialEnvs, nodeName, testNode } from './harness.ts';

const makeEnv = dialEnvs();
type TestNode = ReturnType<typeof testNode>;

/** A running env that has just started dialing a node whose ID is above (or below) ours. */
async function dialingNode(above: boolean): Promise<[DialEnv, TestNode]> {
  const env = makeEnv();
  const self = nodeIdToHex(env.self.id);
  let n = 1;
  while (nodeIdToHex(testNode(n).id) > self !== above) n++;
  const node = testNode(n);
  env.scheduler.start();
  env.source.discover(node);
  await env.settle();
  expect(env.newDials().map((c) => nodeName(c.node))).toEqual([nodeName(node)]);
  return [env, node];
}

/** Our pending dial to `node` rejects with `reason`, refused by the remote. */
function refuse(env: DialEnv, node: TestNode, reason: DiscReason): void {
  env.fail(node, new PeerError(reason, undefined, { remoteRequested: true }));
}

/**
 * Both sides dialed each other; ours lost: the server reports it, then the dial rejects with
 * AlreadyConnected, while the inbound connection we kept is a peer that the remote drops.
 */
async function loseRace(env: DialEnv, node: TestNode): Promise<void> {
  env.scheduler.peerAdded(node, { dialed: 'inbound' });
  env.scheduler.dialLostRace(node);
  refuse(env, node, DiscReason.AlreadyConnected);
  await env.settle();
  expect(env.newDials()).toEqual([]);
  env.scheduler.peerRemoved(node);
  await env.settle();
}

/** `node`, offered by the source again, is dialed only once `ms` have passed. */
async function expectDialAfter(env: DialEnv, node: TestNode, ms: number): Promise<void> {
  for (const [step, dials] of [
    [ms - 1, 0],
    [1, 1],
  ] as const) {
    await env.advance(step);
    env.source.discover(node);
    await env.settle();
    expect(env.newDials()).toHaveLength(dials);
  }
}

describe('DialScheduler: a lost simultaneous-dial race', () => {
  it('the lower-ID side redials at once when the peer it kept is dropped', async () => {
    const [env, node] = await dialingNode(true);
    await loseRace(env, node);
    expect(env.newDials().map((c) => nodeName(c.node))).toEqual([nodeName(node)]);
    env.succeed(node);
    await env.settle();
    expect(env.scheduler.activeDials).toBe(0);
  });

  it('the higher-ID side waits for its history entry, so the two do not race again', async () => {
    const [env, node] = await dialingNode(false);
    await loseRace(env, node);
    expect(env.newDials()).toEqual([]);
    await expectDialAfter(env, node, DIAL_HISTORY_EXPIRATION_MS);
  });

  it('redials early at most once per history period (a remote that keeps refusing us)', async () => {
    const [env, node] = await dialingNode(true);
    await loseRace(env, node);
    expect(env.newDials()).toHaveLength(1);
    env.scheduler.dialLostRace(node);
    refuse(env, node, DiscReason.AlreadyConnected);
    await env.settle();
    expect(env.newDials()).toEqual([]);
    // The normal history applies from the early redial on.
    await expectDialAfter(env, node, DIAL_HISTORY_EXPIRATION_MS);
  });

  it('does not redial early after an ordinary failure', async () => {
    const [env, node] = await dialingNode(true);
    refuse(env, node, DiscReason.TooManyPeers);
    await expectDialAfter(env, node, DIAL_HISTORY_EXPIRATION_MS);
  });
});
