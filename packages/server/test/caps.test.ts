import { describe, expect, it } from 'vitest';
import type { Protocol } from '../src/index.ts';
import { capsOf, matchProtocols } from '../src/wire/index.ts';

function proto(name: string, version: number, length: number): Protocol {
  return { name, version, length, run: async () => {} };
}

const eth68 = proto('eth', 68, 17);
const eth69 = proto('eth', 69, 18);
const snap1 = proto('snap', 1, 8);

function layout(local: Protocol[], remote: { name: string; version: number }[]): string[] {
  return matchProtocols(local, remote).map(
    (m) =>
      `${m.protocol.name}/${m.protocol.version} 0x${m.offset.toString(16)}-0x${(m.offset + m.protocol.length - 1).toString(16)}`,
  );
}

describe('matchProtocols', () => {
  it('lays out eth/68 and snap/1 like geth: eth 0x10-0x20, snap 0x21-0x28', () => {
    expect(
      layout(
        [snap1, eth68],
        [
          { name: 'snap', version: 1 },
          { name: 'eth', version: 68 },
        ],
      ),
    ).toEqual(['eth/68 0x10-0x20', 'snap/1 0x21-0x28']);
  });

  it('lays out eth/69 and snap/1 like geth: eth 0x10-0x21, snap 0x22-0x29', () => {
    expect(
      layout(
        [eth68, eth69, snap1],
        [
          { name: 'eth', version: 68 },
          { name: 'eth', version: 69 },
          { name: 'snap', version: 1 },
        ],
      ),
    ).toEqual(['eth/69 0x10-0x21', 'snap/1 0x22-0x29']);
  });

  it('picks the highest version both sides support, not the highest of either', () => {
    expect(
      layout(
        [eth68, eth69],
        [
          { name: 'eth', version: 67 },
          { name: 'eth', version: 68 },
          { name: 'eth', version: 70 },
        ],
      ),
    ).toEqual(['eth/68 0x10-0x20']);
  });

  it('skips names and versions the remote lacks', () => {
    expect(layout([eth68, snap1], [{ name: 'les', version: 4 }])).toEqual([]);
    expect(layout([eth68], [{ name: 'eth', version: 69 }])).toEqual([]);
    expect(layout([], [{ name: 'eth', version: 68 }])).toEqual([]);
  });

  it('orders by name in byte order whatever the input order', () => {
    const a = proto('a', 1, 3);
    const b = proto('B', 1, 2);
    const remote = [
      { name: 'a', version: 1 },
      { name: 'B', version: 1 },
    ];
    expect(layout([a, b], remote)).toEqual(['B/1 0x10-0x11', 'a/1 0x12-0x14']);
  });

  it('keeps the first of two local protocols with the same name and version', () => {
    const first = proto('eth', 68, 17);
    const second = proto('eth', 68, 17);
    const matched = matchProtocols([first, second], [{ name: 'eth', version: 68 }]);
    expect(matched).toHaveLength(1);
    expect(matched[0]?.protocol).toBe(first);
  });
});

describe('capsOf', () => {
  it('lists caps sorted by name then version', () => {
    expect(capsOf([snap1, eth69, eth68])).toEqual([
      { name: 'eth', version: 68 },
      { name: 'eth', version: 69 },
      { name: 'snap', version: 1 },
    ]);
  });
});
