/** A LocalNode over an in-memory seq store, for the discv5 session and rpc tests. */
import { generatePrivateKey } from '@ethp2p/crypto';
import { LocalNode, type LocalSeqStore } from '@ethp2p/enode';

/** A local node and its key, its record at `ip`:`port`. */
export interface TestLocal {
  readonly privateKey: Uint8Array;
  readonly localNode: LocalNode;
}

const memorySeqs: LocalSeqStore = {
  localSeq: async () => 0n,
  storeLocalSeq: async () => {},
};

/** A local node (by default with a fresh key) whose record says `ip` and `port`. */
export async function testLocal(
  ip: string,
  port: number,
  privateKey: Uint8Array = generatePrivateKey(),
): Promise<TestLocal> {
  const localNode = await LocalNode.create({ privateKey, db: memorySeqs });
  localNode.setStaticIp(ip);
  localNode.setFallbackUdpPort(port);
  return { privateKey, localNode };
}
