import { generatePrivateKey } from '@ethp2p/crypto';
import { Enr, Node, nodeIdToHex } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import {
  formatNodeSet,
  formatTime,
  type NodeSet,
  NodeSetError,
  parseNodeSet,
} from '../../../src/cli/discv4/nodeset.ts';

function signed(seq: bigint): Node {
  const entries = { ip: '10.0.0.1', udp: 30303, tcp: 30303 };
  return Node.fromEnr(Enr.sign({ seq, entries }, generatePrivateKey()));
}

const T = Date.parse('2024-05-06T07:08:09Z');

describe('nodes.json', () => {
  it('writes geth devp2p nodeset fields in order, sorted by ID, with a 4-space indent', () => {
    const a = signed(1_700_000_000_123n);
    const b = signed(3n);
    const set: NodeSet = new Map([
      [
        nodeIdToHex(a.id),
        { node: a, score: 3, firstResponse: T, lastResponse: T + 999, lastCheck: T },
      ],
      [
        nodeIdToHex(b.id),
        { node: b, score: 0, firstResponse: undefined, lastResponse: undefined, lastCheck: T },
      ],
    ]);
    const text = formatNodeSet(set);
    const [first, second] = [a, b].sort((x, y) => (nodeIdToHex(x.id) < nodeIdToHex(y.id) ? -1 : 1));
    expect(
      text.startsWith(
        `{\n    "${nodeIdToHex(first?.id ?? new Uint8Array(32))}": {\n        "seq": `,
      ),
    ).toBe(true);
    expect(text.indexOf(nodeIdToHex(second?.id ?? new Uint8Array(32)))).toBeGreaterThan(100);
    expect(text).toContain(
      `"seq": 1700000000123,\n        "record": "${a.toString()}",\n        "score": 3,\n` +
        '        "firstResponse": "2024-05-06T07:08:09Z",\n' +
        '        "lastResponse": "2024-05-06T07:08:09Z",\n' +
        '        "lastCheck": "2024-05-06T07:08:09Z"\n    }',
    );
    // geth omits a zero score and writes Go's zero time for times never set.
    expect(text).toContain(
      `"seq": 3,\n        "record": "${b.toString()}",\n        "firstResponse": "0001-01-01T00:00:00Z",`,
    );
    const back = parseNodeSet(text);
    expect(back.get(nodeIdToHex(a.id))).toEqual({
      node: expect.any(Node),
      score: 3,
      firstResponse: T,
      lastResponse: T,
      lastCheck: T,
    });
    expect(back.get(nodeIdToHex(b.id))?.firstResponse).toBeUndefined();
    expect(formatNodeSet(back)).toBe(text);
  });

  it('writes an empty set as {}', () => {
    expect(formatNodeSet(new Map())).toBe('{}\n');
    expect(parseNodeSet('{}').size).toBe(0);
  });

  it('reads what geth writes: sub-second times, offsets and enode URLs', () => {
    const n = signed(9n);
    const url = Node.fromPublicKey(n.publicKey, { ip: '10.0.0.2', tcp: 1, udp: 2 });
    const text = JSON.stringify({
      [nodeIdToHex(n.id)]: {
        seq: 9,
        record: n.toString(),
        lastCheck: '2024-05-06T09:08:09.5+02:00',
      },
    });
    expect(parseNodeSet(text).get(nodeIdToHex(n.id))?.lastCheck).toBe(T + 500);
    const fromUrl = parseNodeSet(
      JSON.stringify({ [nodeIdToHex(n.id)]: { seq: 0, record: url.toString() } }),
    );
    expect(fromUrl.get(nodeIdToHex(n.id))?.node.udp).toBe(2);
  });

  it.each([
    ['not json', /^not JSON/],
    ['[]', /^expected a JSON object/],
    ['{"aa": 1}', /^node aa: expected an object/],
    ['{"aa": {"seq": 1}}', /^node aa: missing record/],
    ['{"aa": {"seq": 1, "record": "enr:x"}}', /^node aa: invalid record/],
  ])('rejects %s', (text, message) => {
    expect(() => parseNodeSet(text)).toThrow(NodeSetError);
    expect(() => parseNodeSet(text)).toThrow(message);
  });

  it('rejects entries whose record has another ID or seq, or bad fields', () => {
    const n = signed(5n);
    const id = nodeIdToHex(n.id);
    const record = n.toString();
    const other = '00'.repeat(32);
    expect(() => parseNodeSet(JSON.stringify({ [other]: { seq: 5, record } }))).toThrow(
      /another node ID/,
    );
    expect(() => parseNodeSet(JSON.stringify({ [id]: { seq: 6, record } }))).toThrow(
      /'seq' does not match/,
    );
    expect(() => parseNodeSet(JSON.stringify({ [id]: { seq: 5, record, score: 1.5 } }))).toThrow(
      /'score'/,
    );
    expect(() =>
      parseNodeSet(JSON.stringify({ [id]: { seq: 5, record, lastCheck: 'x' } })),
    ).toThrow(/'lastCheck'/);
  });

  it('formats times in UTC to the second', () => {
    expect(formatTime(undefined)).toBe('0001-01-01T00:00:00Z');
    expect(formatTime(T + 999)).toBe('2024-05-06T07:08:09Z');
  });
});
