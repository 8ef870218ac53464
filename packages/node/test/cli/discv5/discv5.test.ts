/**
 * The `discv5` commands against in-process discovery v5 nodes on 127.0.0.1.
 */
import { silentLogger } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey } from '@ethp2p/crypto';
import { DiscoveryV5 } from '@ethp2p/discovery';
import { Enr, Node, nodeIdToHex } from '@ethp2p/enode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNodeSet } from '../../../src/cli/discv4/nodeset.ts';
import { main } from '../../../src/cli/main.ts';
import { run, testIo } from '../helpers/run.ts';

const LOCAL = ['--addr', '127.0.0.1:0'];

/** A discv5 node that answers FINDNODE with every table node (no wait for revalidation). */
function startV5(bootnodes: readonly Node[] = []): Promise<DiscoveryV5> {
  return DiscoveryV5.listen({
    privateKey: generatePrivateKey(),
    bootnodes,
    logger: silentLogger,
    config: { findnodeLivenessCheck: false },
  });
}

let target: DiscoveryV5;
let helper: DiscoveryV5;

beforeAll(async () => {
  target = await startV5();
  await target.refresh();
  helper = await startV5([target.self()]);
  await helper.refresh();
  await waitFor(() => target.nodes().length === 1 && helper.nodes().length === 1, {
    what: 'the two nodes know each other',
  });
});

afterAll(async () => {
  await helper?.stop();
  await target?.stop();
});

describe('discv5 ping', () => {
  it('prints the round trip and the record seq', async () => {
    const { code, out, stderr } = await run(['discv5', 'ping', target.self().toString(), ...LOCAL]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^node answered the ping: rtt \d+\.\d\d ms, enr seq \d+$/);
    expect(out[0]?.endsWith(`enr seq ${target.self().seq}`)).toBe(true);
  });

  it('needs the record: an enode URL is refused with one line', async () => {
    const { code, stdout, stderr } = await run([
      'discv5',
      'ping',
      target.self().enodeUrl(),
      ...LOCAL,
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^ethp2p: discv5 needs the node record/);
  });

  it('fails with one line when nothing answers', async () => {
    const gone = await startV5();
    const enr = gone.self().toString();
    await gone.stop();
    const { code, stderr } = await run(['discv5', 'ping', enr, ...LOCAL]);
    expect(code).toBe(1);
    expect(stderr).toBe('ethp2p: node did not answer the ping\n');
  });
});

describe('discv5 requestenr and resolve', () => {
  it("requestenr prints the node's record, then its fields", async () => {
    const { code, out } = await run(['discv5', 'requestenr', target.self().toString(), ...LOCAL]);
    expect(code).toBe(0);
    const record = Enr.decodeText(out[0] ?? '');
    expect(nodeIdToHex(record.nodeId)).toBe(nodeIdToHex(target.localNode.id));
    expect(out).toContain(`node id:    ${nodeIdToHex(target.localNode.id)}`);
  });

  it('resolve finds a node from its key through a bootnode', async () => {
    const keyOnly = target.self().enodeUrl().replace(/@.*$/, '');
    const bootnodes = ['--bootnodes', helper.self().toString(), '--timeout', '10s'];
    const { code, out, stderr } = await run(['discv5', 'resolve', keyOnly, ...bootnodes, ...LOCAL]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(Enr.decodeText(out[0] ?? '').equals(target.self().record as Enr)).toBe(true);
  });
});

describe('discv5 listen and crawl', () => {
  it('listen prints its enode URL and record, answers discv5 pings and stops on the signal', async () => {
    const controller = new AbortController();
    const io = testIo({}, controller.signal);
    const exit = main(['discv5', 'listen', ...LOCAL], io);
    await io.stdout.waitFor((text) => text.split('\n').length >= 3, AbortSignal.timeout(10_000));
    const record = Enr.decodeText(io.stdout.lines[1] ?? '');
    const pong = await helper.ping(Node.fromEnr(record), { signal: AbortSignal.timeout(5000) });
    expect(pong.enrSeq).toBe(record.seq);
    controller.abort(new Error('test done'));
    expect(await exit).toBe(0);
    expect(io.stderr.text).toBe('stopped\n');
  });

  it('crawl walks the DHT from a bootnode and prints the node set', async () => {
    // The walk runs until interrupted once a progress line shows both nodes, so a slow machine
    // only makes it take longer (a fixed --timeout could end before the second record arrived).
    const controller = new AbortController();
    const io = testIo({}, controller.signal);
    const bootnodes = ['--bootnodes', target.self().toString(), '--timeout', '1h'];
    const exit = main(['discv5', 'crawl', ...bootnodes, '--progress', '50ms', ...LOCAL], io);
    await io.stderr.waitFor((t) => /: 2 nodes \(/.test(t), AbortSignal.timeout(50_000));
    controller.abort(new Error('received SIGINT'));
    expect(await exit).toBe(0);
    expect(io.stderr.lines.at(-1)).toMatch(/^crawl interrupted: 2 nodes \(added 2,/);
    const set = parseNodeSet(io.stdout.text);
    const ids = [...set.values()].map((e) => nodeIdToHex(e.node.id)).sort();
    expect(ids).toEqual([target, helper].map((n) => nodeIdToHex(n.localNode.id)).sort());
  }, 60_000);

  it('every command has --help', async () => {
    for (const cmd of ['ping', 'requestenr', 'resolve', 'listen', 'crawl']) {
      const { code, stdout } = await run(['discv5', cmd, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`ethp2p discv5 ${cmd}`));
    }
  });
});
