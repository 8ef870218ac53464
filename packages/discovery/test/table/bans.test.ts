import { SimulatedClock, seededRandom, silentLogger } from '@ethp2p/base';
import { bytesToHex } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { Table } from '../../src/table/table.ts';
import { KeyPool, nodeOf, SELF_ID } from './helpers.ts';

const pool = new KeyPool(200);

describe('Table bans', () => {
  it('never adds a node whose ID or IP is banned, found or inbound', () => {
    const [byId, byIp, fine] = pool.take(255, 3) as [
      ReturnType<KeyPool['take']>[number],
      ReturnType<KeyPool['take']>[number],
      ReturnType<KeyPool['take']>[number],
    ];
    const bannedIds = new Set([bytesToHex(byId.id)]);
    const table = new Table({
      selfId: SELF_ID,
      clock: new SimulatedClock(1000),
      random: seededRandom(1),
      logger: silentLogger,
      bans: {
        isBannedId: (id) => bannedIds.has(bytesToHex(id)),
        isBannedIp: (ip) => ip === '30.0.0.1',
      },
    });
    table.markInitDone();
    expect(table.addFoundNode(nodeOf(byId))).toBe(false);
    expect(table.addInboundNode(nodeOf(byId))).toBe(false);
    expect(table.addFoundNode(nodeOf(byIp, '30.0.0.1'))).toBe(false);
    expect(table.addFoundNode(nodeOf(fine))).toBe(true);
    expect(table.nodes().map((n) => bytesToHex(n.id))).toEqual([bytesToHex(fine.id)]);
  });
});
