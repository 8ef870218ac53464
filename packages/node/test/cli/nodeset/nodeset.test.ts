import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeList } from '@ethp2p/base/rlp';
import { generatePrivateKey } from '@ethp2p/crypto';
import { Enr, type EnrValue, Node, nodeIdToHex } from '@ethp2p/enode';
import { ethEnrEntry, forkId, NETWORKS } from '@ethp2p/eth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNodeSet, type NodeSet, parseNodeSet } from '../../../src/cli/discv4/nodeset.ts';
import { run } from '../helpers/run.ts';

const HOUR = 3_600_000;
const T = Date.parse('2025-01-01T00:00:00Z');

function entry(entries: Record<string, EnrValue>, score: number, ageMs: number) {
  const node = Node.fromEnr(Enr.sign({ seq: 1n, entries }, generatePrivateKey()));
  return { node, score, firstResponse: T - ageMs, lastResponse: T, lastCheck: T };
}

const SNAP = { rlp: encodeList([]) };
const eth = (name: 'mainnet' | 'sepolia') => ({
  rlp: ethEnrEntry(forkId(NETWORKS[name], { number: 30_000_000n, time: 1_800_000_000n })),
});
const BAD_ETH = { rlp: ethEnrEntry({ hash: Uint8Array.of(0xde, 0xad, 0xbe, 0xef), next: 0n }) };

/** A: mainnet, snap, 10/8, TCP; B: sepolia, 192.168/16, no TCP; C: no eth; D: foreign chain. */
const A = entry(
  { ip: '10.0.0.1', udp: 30303, tcp: 30303, eth: eth('mainnet'), snap: SNAP },
  5,
  48 * HOUR,
);
const B = entry({ ip: '192.168.1.5', udp: 30303, eth: eth('sepolia') }, 1, HOUR / 2);
const C = entry({ ip: '10.1.2.3', udp: 30303, tcp: 30303 }, 3, 10 * 24 * HOUR);
const D = entry(
  { ip: '8.8.8.8', udp: 30303, tcp: 30303, eth: BAD_ETH, snap: SNAP },
  2,
  40 * 24 * HOUR,
);
const ENTRIES = { A, B, C, D };
const SET: NodeSet = new Map(Object.values(ENTRIES).map((e) => [nodeIdToHex(e.node.id), e]));

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ethp2p-nodeset-'));
  file = join(dir, 'nodes.json');
  await writeFile(file, formatNodeSet(SET));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The names of the nodes `nodeset filter` prints, after checking it is a valid node set. */
async function filtered(...filters: string[]): Promise<string[]> {
  const r = await run(['nodeset', 'filter', file, ...filters]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const ids = [...parseNodeSet(r.stdout).keys()];
  return Object.entries(ENTRIES)
    .filter(([, e]) => ids.includes(nodeIdToHex(e.node.id)))
    .map(([name]) => name);
}

describe('nodeset', () => {
  it('is listed in the help with its commands', async () => {
    expect((await run(['--help'])).stdout).toMatch(/^ {2}nodeset +Node set tools/m);
    const group = (await run(['nodeset', '--help'])).stdout;
    expect(group).toMatch(/^ {2}info +Show statistics/m);
    expect(group).toMatch(/^ {2}filter +Print the nodes/m);
  });
});

describe('nodeset info', () => {
  it('prints the size, the nodes passing each filter and the age distribution', async () => {
    const r = await run(['nodeset', 'info', file]);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([
      'Set contains 4 nodes.',
      'Nodes by filter:',
      '  tcp:                 3',
      '  snap:                2',
      '  eth:                 3',
      '  eth-network mainnet: 1',
      '  eth-network sepolia: 1',
      '  eth-network holesky: 0',
      '  eth-network hoodi:   0',
      'Age (last response - first response):',
      '  < 1h:   1',
      '  1h-1d:  0',
      '  1d-7d:  1',
      '  7d-30d: 1',
      '  >= 30d: 1',
    ]);
  });

  it('names a missing file', async () => {
    const r = await run(['nodeset', 'info', join(dir, 'none.json')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/cannot read .*none\.json/);
  });
});

describe('nodeset filter', () => {
  it('without filters prints the whole set', async () => {
    expect(await filtered()).toEqual(['A', 'B', 'C', 'D']);
  });

  it('-ip keeps the nodes in the network', async () => {
    expect(await filtered('-ip', '10.0.0.0/8')).toEqual(['A', 'C']);
  });

  it('-min-age keeps nodes answering at least that long', async () => {
    expect(await filtered('-min-age', '48h')).toEqual(['A', 'C', 'D']);
  });

  it('-eth-network keeps nodes whose fork ID fits the network', async () => {
    expect(await filtered('-eth-network', 'mainnet')).toEqual(['A']);
    expect(await filtered('-eth-network', 'sepolia')).toEqual(['B']);
    expect(await filtered('-eth-network', 'hoodi')).toEqual([]);
  });

  it('-snap keeps records with a snap entry', async () => {
    expect(await filtered('-snap')).toEqual(['A', 'D']);
  });

  it('-tcp keeps nodes with a TCP port', async () => {
    expect(await filtered('-tcp')).toEqual(['A', 'C', 'D']);
  });

  it('-limit keeps the highest scores, after the other filters', async () => {
    expect(await filtered('-limit', '2')).toEqual(['A', 'C']);
    expect(await filtered('-limit', '1', '-snap', '-ip', '8.0.0.0/8')).toEqual(['D']);
  });

  it('takes the filters as --flags too', async () => {
    expect(await filtered('--snap', '--tcp', '--min-age=100h')).toEqual(['D']);
  });

  it('takes no filter from the environment: a stray ETHP2P_LIMIT or ETHP2P_SNAP filters nothing', async () => {
    const r = await run(['nodeset', 'filter', file], {
      env: { ETHP2P_LIMIT: '1', ETHP2P_SNAP: '1', ETHP2P_IP: '8.0.0.0/8', ETHP2P_TCP: 'yes' },
    });
    expect(r.code).toBe(0);
    expect(parseNodeSet(r.stdout).size).toBe(4);
  });

  it('refuses unknown filters and bad values', async () => {
    const cases: [string[], RegExp][] = [
      [['-les-server'], /unknown flag -les-server/],
      [['-eth-network', 'goerli'], /unknown network 'goerli'/],
      [['-ip', '10.0.0.1'], /--ip: /],
      [['-min-age', 'old'], /--min-age: expected a duration/],
      [['-limit', '-1'], /--limit: expected an integer/],
    ];
    for (const [args, message] of cases) {
      const r = await run(['nodeset', 'filter', file, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
