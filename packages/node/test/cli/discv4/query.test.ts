import { waitFor } from '@ethp2p/base/testing';
import { bytesToHex, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import type { DiscoveryV4 } from '@ethp2p/discovery';
import { Enr, nodeIdToHex } from '@ethp2p/enode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onTableAdded, startNode, tableHolds } from '../helpers/discovery.ts';
import { run } from '../helpers/run.ts';

const LOCAL = ['--addr', '127.0.0.1:0'];

let target: DiscoveryV4;
let helper: DiscoveryV4;

beforeAll(async () => {
  target = await startNode();
  helper = await startNode([target.self()]);
  await waitFor(tableHolds(helper, [target.localNode.id]), {
    on: onTableAdded(helper),
    what: 'the helper knows the target',
  });
});

afterAll(async () => {
  await helper?.stop();
  await target?.stop();
});

describe('discv4 ping', () => {
  it('prints the round trip and the record seq of a node given by enode URL', async () => {
    const { code, out, stderr } = await run(['discv4', 'ping', target.self().enodeUrl(), ...LOCAL]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^node answered the ping: rtt \d+\.\d\d ms, enr seq \d+$/);
    expect(out[0]?.endsWith(`enr seq ${target.self().seq}`)).toBe(true);
  });

  it('takes an enr: record, and --addr from ETHP2P_ADDR', async () => {
    const env = { ETHP2P_ADDR: '127.0.0.1:0' };
    const { code, out } = await run(['discv4', 'ping', target.self().toString()], { env });
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^node answered the ping/);
  });

  it('fails with one line when nothing answers', async () => {
    const gone = await startNode();
    const url = gone.self().enodeUrl();
    await gone.stop();
    const { code, stdout, stderr } = await run(['discv4', 'ping', url, ...LOCAL]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('ethp2p: node did not answer the ping\n');
  });

  it('fails for a node without an address, and for text that is no node', async () => {
    const keyOnly = `enode://${bytesToHex(publicKey(generatePrivateKey()))}`;
    const a = await run(['discv4', 'ping', keyOnly, ...LOCAL]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/^ethp2p: node has no IP address or UDP port/);
    const b = await run(['discv4', 'ping', 'enode://xyz@127.0.0.1:1', ...LOCAL]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(
      /^ethp2p: invalid node 'enode:\/\/xyz@127.0.0.1:1': invalid public key/,
    );
  });

  it('is a usage error for a bad --addr', async () => {
    const { code, stderr } = await run(['discv4', 'ping', target.self().enodeUrl(), '--addr', 'x']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^ethp2p: --addr: expected ip:port such as 127.0.0.1:30301, got 'x'/);
  });
});

describe('discv4 requestenr', () => {
  it("prints the node's record, then its fields", async () => {
    const { code, out } = await run(['discv4', 'requestenr', target.self().enodeUrl(), ...LOCAL]);
    expect(code).toBe(0);
    const record = Enr.decodeText(out[0] ?? '');
    expect(nodeIdToHex(record.nodeId)).toBe(nodeIdToHex(target.localNode.id));
    expect(record.udp).toBe(target.self().udp);
    expect(out).toContain(`node id:    ${nodeIdToHex(target.localNode.id)}`);
    expect(out).toContain(`  udp        ${target.self().udp}`);
  });
});

describe('discv4 resolve', () => {
  it('asks the node itself when it has an address', async () => {
    const { code, out } = await run(['discv4', 'resolve', target.self().enodeUrl(), ...LOCAL]);
    expect(code).toBe(0);
    expect(Enr.decodeText(out[0] ?? '').equals(target.self().record as Enr)).toBe(true);
  });

  it('finds a key-only node through the DHT', async () => {
    const keyOnly = `enode://${bytesToHex(target.localNode.publicKey)}`;
    const bootnodes = ['--bootnodes', helper.self().enodeUrl()];
    const { code, out, stderr } = await run(['discv4', 'resolve', keyOnly, ...bootnodes, ...LOCAL]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const record = Enr.decodeText(out[0] ?? '');
    expect(nodeIdToHex(record.nodeId)).toBe(nodeIdToHex(target.localNode.id));
    expect(out).toContain(`enode:      ${target.self().enodeUrl()}`);
  });

  it('fails when the DHT does not know the node', async () => {
    const unknown = `enode://${bytesToHex(publicKey(generatePrivateKey()))}`;
    const bootnodes = ['--bootnodes', helper.self().enodeUrl(), '--timeout', '10s'];
    const { code, stderr } = await run(['discv4', 'resolve', unknown, ...bootnodes, ...LOCAL]);
    expect(code).toBe(1);
    expect(stderr).toBe('ethp2p: node not found\n');
  });

  it('needs --bootnodes for a node without an address', async () => {
    const keyOnly = `enode://${bytesToHex(target.localNode.publicKey)}`;
    const { code, stderr } = await run(['discv4', 'resolve', keyOnly, ...LOCAL]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^ethp2p: the node has no address: give --bootnodes to look it up/);
  });
});
