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

/** A fresh local node with a random key whose record says `ip` and `port`. */
export async function testLocal(ip: string, port: number): Promise<TestLocal> {
  const privateKey = generatePrivateKey();
  const localNode = await LocalNode.create({ privateKey, db: memorySeqs });
  localNode.setStaticIp(ip);
  localNode.setFallbackUdpPort(port);
  return { privateKey, localNode };
}
