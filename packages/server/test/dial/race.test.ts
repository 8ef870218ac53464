import { nodeIdToHex } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { DIAL_HISTORY_EXPIRATION_MS } from '../../src/dial/constants.ts';
import { PeerError } from '../../src/errors.ts';
import { DiscReason } from '../../src/wire/disc-reason.ts';
import { dialEnvs, nodeName, testNode } from './harness.ts';

const makeEnv = dialEnvs();

/** The first test node whose ID is above (or below) ours. */
function nodeBeside(self: string, above: boolean) {
  for (let n = 1; ; n++) {
    const node = testNode(n);
    if (nodeIdToHex(node.id) > self === above) return node;
  }
}

/**
 * Both sides dialed each other; ours lost: the server reports it, then the dial rejects with
 * AlreadyConnected, while the inbound connection we kept is a peer that the remote drops.
 */
async function loseRace(env: ReturnType<typeof makeEnv>, node: ReturnType<typeof testNode>) {
  env.scheduler.peerAdded(node, { dialed: 'inbound' });
  env.scheduler.dialLostRace(node);
  env.fail(node, new PeerError(DiscReason.AlreadyConnected, undefined, { remoteRequested: true }));
  await env.settle();
  expect(env.newDials()).toEqual([]);
  env.scheduler.peerRemoved(node);
  await env.settle();
}

describe('DialScheduler: a lost simultaneous-dial race', () => {
  it('the lower-ID side redials at once when the peer it kept is dropped', async () => {
    const env = makeEnv();
    const node = nodeBeside(nodeIdToHex(env.self.id), true);
    env.scheduler.start();
    env.source.discover(node);
    await env.settle();
    expect(env.newDials().map((c) => nodeName(c.node))).toEqual([nodeName(node)]);
    await loseRace(env, node);
    expect(env.newDials().map((c) => nodeName(c.node))).toEqual([nodeName(node)]);
    env.succeed(node);
    await env.settle();
    expect(env.scheduler.activeDials).toBe(0);
  });

  it('the higher-ID side waits for its history entry, so the two do not race again', async () => {
    const env = makeEnv();
    const node = nodeBeside(nodeIdToHex(env.self.id), false);
    env.scheduler.start();
    env.source.discover(node);
    await env.settle();
    expect(env.newDials()).toHaveLength(1);
    await loseRace(env, node);
    expect(env.newDials()).toEqual([]);
    await env.advance(DIAL_HISTORY_EXPIRATION_MS - 1);
    env.source.discover(node);
    await env.settle();
    expect(env.newDials()).toEqual([]);
    await env.advance(1);
    env.source.discover(node);
    await env.settle();
    expect(env.newDials()).toHaveLength(1);
  });

  it('redials early at most once per history period (a remote that keeps refusing us)', async () => {
    const env = makeEnv();
    const node = nodeBeside(nodeIdToHex(env.self.id), true);
    env.scheduler.start();
    env.source.discover(node);
    await env.settle();
    expect(env.newDials()).toHaveLength(1);
    await loseRace(env, node);
    expect(env.newDials()).toHaveLength(1);
    env.scheduler.dialLostRace(node);
    env.fail(
      node,
      new PeerError(DiscReason.AlreadyConnected, undefined, { remoteRequested: true }),
    );
    await env.settle();
    expect(env.newDials()).toEqual([]);
    // The normal history applies from the early redial on.
    await env.advance(DIAL_HISTORY_EXPIRATION_MS - 1);
    env.source.discover(node);
    await env.settle();
    expect(env.newDials()).toEqual([]);
    await env.advance(1);
    env.source.discover(node);
    await env.settle();
    expect(env.newDials()).toHaveLength(1);
  });

  it('does not redial early after an ordinary failure', async () => {
    const env = makeEnv();
    const node = nodeBeside(nodeIdToHex(env.self.id), true);
    env.scheduler.start();
    env.source.discover(node);
    await env.settle();
    expect(env.newDials()).toHaveLength(1);
    env.fail(node, new PeerError(DiscReason.TooManyPeers, undefined, { remoteRequested: true }));
    await env.advance(1000);
    env.source.discover(node);
    await env.settle();
    expect(env.newDials()).toEqual([]);
  });
});
