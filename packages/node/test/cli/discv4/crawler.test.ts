import { SimulatedClock } from '@ethp2p/base';
import { nextTurn } from '@ethp2p/base/testing';
import { generatePrivateKey } from '@ethp2p/crypto';
import { Enr, Node, nodeIdToHex } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { type CrawlSource, crawl } from '../../../src/cli/discv4/crawler.ts';
import type { NodeSet } from '../../../src/cli/discv4/nodeset.ts';

function signed(): Node {
  return Node.fromEnr(
    Enr.sign({ seq: 1n, entries: { ip: '10.0.0.1', udp: 30303 } }, generatePrivateKey()),
  );
}

/**
 * A fake discovery node: `answers` holds the nodes that answer ENR requests; `found` is what
 * the random walk yields before it waits for its signal. Records every request.
 */
class FakeSource implements CrawlSource {
  readonly requests: string[] = [];
  readonly answers: Set<string>;
  readonly found: readonly Node[];
  walking: (() => void) | undefined;

  constructor(answers: readonly Node[], found: readonly Node[] = []) {
    this.answers = new Set(answers.map((n) => nodeIdToHex(n.id)));
    this.found = found;
  }

  async requestEnr(node: Node): Promise<Node> {
    const id = nodeIdToHex(node.id);
    this.requests.push(id);
    if (!this.answers.has(id)) throw new Error('timeout');
    return node;
  }

  async *randomNodes({ signal }: { signal?: AbortSignal }): AsyncIterable<Node> {
    for (let round = 0; round < 3; round++) yield* this.found;
    await new Promise<void>((resolve) => {
      signal?.addEventListener('abort', () => resolve(), { once: true });
      this.walking?.();
    });
  }
}

const entry = (node: Node, score: number) => ({
  node,
  score,
  firstResponse: 1000,
  lastResponse: 1000,
  lastCheck: 1000,
});

describe('crawl', () => {
  it('scores input nodes like geth: +1 on an answer, halved on a miss, dropped at 0', async () => {
    const [live, dying, halved, ignored] = [signed(), signed(), signed(), signed()];
    const input: NodeSet = new Map(
      [entry(live, 1), entry(dying, 1), entry(halved, 5), entry(ignored, 0)].map((e) => [
        nodeIdToHex(e.node.id),
        e,
      ]),
    );
    const clock = new SimulatedClock(50_000);
    const source = new FakeSource([live]);
    const signal = new AbortController().signal;
    const sizes: number[] = [];
    const onProgress = (_stats: unknown, size: number) => sizes.push(size);
    const { nodes, stats } = await crawl({
      source,
      input,
      timeoutMs: 0,
      parallel: 2,
      clock,
      signal,
      onProgress,
    });
    expect(source.requests).toHaveLength(4);
    expect(sizes).toHaveLength(4);
    expect(sizes.at(-1)).toBe(3);
    expect(nodes.get(nodeIdToHex(live.id))).toEqual({
      node: live,
      score: 2,
      firstResponse: 1000,
      lastResponse: 50_000,
      lastCheck: 50_000,
    });
    expect(nodes.has(nodeIdToHex(dying.id))).toBe(false);
    expect(nodes.get(nodeIdToHex(halved.id))).toMatchObject({
      score: 2,
      lastResponse: 1000,
      lastCheck: 50_000,
    });
    expect(nodes.get(nodeIdToHex(ignored.id))?.score).toBe(0);
    expect(stats).toEqual({ added: 0, updated: 1, removed: 1, skipped: 1, queried: 4 });
  });

  it('checks each node the walk finds once, skips itself, and stops at the deadline', async () => {
    const self = signed();
    const [a, b, silent] = [signed(), signed(), signed()];
    const source = new FakeSource([a, b, self], [self, a, b, silent]);
    const clock = new SimulatedClock(7000);
    const walking = new Promise<void>((resolve) => {
      source.walking = resolve;
    });
    const result = crawl({
      source,
      input: new Map(),
      timeoutMs: 60_000,
      parallel: 16,
      clock,
      signal: new AbortController().signal,
      selfId: self.id,
    });
    await walking;
    expect(clock.pending).toBe(1);
    clock.advance(60_000);
    const { nodes, stats } = await result;
    expect(clock.pending).toBe(0);
    expect(source.requests.sort()).toEqual([a, b, silent].map((n) => nodeIdToHex(n.id)).sort());
    expect([...nodes.keys()].sort()).toEqual([a, b].map((n) => nodeIdToHex(n.id)).sort());
    expect(nodes.get(nodeIdToHex(a.id))).toEqual({
      node: a,
      score: 1,
      firstResponse: 7000,
      lastResponse: 7000,
      lastCheck: 7000,
    });
    expect(stats).toEqual({ added: 2, updated: 0, removed: 0, skipped: 1, queried: 3 });
  });

  it('ends early on its signal, keeping what it found', async () => {
    const a = signed();
    const source = new FakeSource([a], [a]);
    const controller = new AbortController();
    source.walking = () => controller.abort(new Error('SIGINT'));
    const clock = new SimulatedClock();
    const { nodes } = await crawl({
      source,
      input: new Map(),
      timeoutMs: 60_000,
      parallel: 1,
      clock,
      signal: controller.signal,
    });
    expect([...nodes.keys()]).toEqual([nodeIdToHex(a.id)]);
    expect(clock.pending).toBe(0);
  });

  it('does not count a check the deadline cut short', async () => {
    const slow = signed();
    const input: NodeSet = new Map([[nodeIdToHex(slow.id), entry(slow, 1)]]);
    const controller = new AbortController();
    const source: CrawlSource = {
      requestEnr: (_node, { signal }) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
          controller.abort(new Error('SIGINT'));
        }),
      randomNodes: () => [] as unknown as AsyncIterable<Node>,
    };
    const { nodes, stats } = await crawl({
      source,
      input,
      timeoutMs: 0,
      parallel: 1,
      clock: new SimulatedClock(),
      signal: controller.signal,
    });
    expect(nodes.get(nodeIdToHex(slow.id))).toEqual(entry(slow, 1));
    expect(stats).toEqual({ added: 0, updated: 0, removed: 0, skipped: 0, queried: 0 });
  });

  it('runs at most `parallel` ENR requests at once and checks every input node', async () => {
    const nodes = Array.from({ length: 7 }, signed);
    const input: NodeSet = new Map(nodes.map((n) => [nodeIdToHex(n.id), entry(n, 1)]));
    let inFlight = 0;
    let most = 0;
    const source: CrawlSource = {
      requestEnr: async (node) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await nextTurn();
        inFlight--;
        return node;
      },
      randomNodes: () => [] as unknown as AsyncIterable<Node>,
    };
    const { stats } = await crawl({
      source,
      input,
      timeoutMs: 0,
      parallel: 3,
      clock: new SimulatedClock(),
      signal: new AbortController().signal,
    });
    expect(most).toBe(3);
    expect(stats.updated).toBe(7);
  });

  it('fails with the error of a failing progress callback once its checks have settled', async () => {
    const nodes = Array.from({ length: 4 }, signed);
    const input: NodeSet = new Map(nodes.map((n) => [nodeIdToHex(n.id), entry(n, 1)]));
    const source = new FakeSource(nodes);
    const boom = new Error('boom');
    const crawled = crawl({
      source,
      input,
      timeoutMs: 0,
      parallel: 2,
      clock: new SimulatedClock(),
      signal: new AbortController().signal,
      onProgress: () => {
        throw boom;
      },
    });
    await expect(crawled).rejects.toBe(boom);
    expect(source.requests.length).toBeLessThan(4);
  });
});
