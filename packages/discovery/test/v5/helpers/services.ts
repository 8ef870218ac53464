/** discv5 services over the fake rpc network, each with its own database and record. */
import { type Clock, silentLogger } from '@ethp2p/base';
import { generatePrivateKey } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import { LocalNode, NodeDatabase } from '@ethp2p/enode';
import type { DiscoveryV5Config } from '../../../src/v5/config.ts';
import { DiscoveryV5 } from '../../../src/v5/service.ts';
import type { FakeV5Network, FakeV5Rpc } from './fake-rpc.ts';

/** A realistic start time (the database stores whole seconds). */
export const START_MS = 1_700_000_000_000;

/** A service on the fake network and what it was built from. */
export interface TestV5 {
  readonly service: DiscoveryV5;
  readonly rpc: FakeV5Rpc;
  readonly localNode: LocalNode;
  readonly db: NodeDatabase;
  /** Stops the service and closes the record and database. */
  close(): Promise<void>;
}

/** Options of {@link startV5}. */
export interface StartV5Options {
  readonly bootnodes?: readonly Node[];
  readonly config?: Partial<DiscoveryV5Config>;
  readonly start?: boolean;
  readonly allowIp?: (ip: string) => boolean;
}

/** A service at `ip`:30303 on `net`, started unless `start: false`. */
export async function startV5(
  net: FakeV5Network,
  ip: string,
  options: StartV5Options = {},
): Promise<TestV5> {
  const clock: Clock = net.clock;
  const db = await NodeDatabase.open({ clock });
  const localNode = await LocalNode.create({ privateKey: generatePrivateKey(), db, clock });
  localNode.setFallbackIp(ip);
  localNode.setFallbackUdpPort(30303);
  const rpc = net.rpc(localNode);
  const service = new DiscoveryV5({
    localNode,
    rpc,
    db,
    clock,
    logger: silentLogger,
    ...(options.bootnodes === undefined ? {} : { bootnodes: options.bootnodes }),
    ...(options.config === undefined ? {} : { config: options.config }),
    ...(options.allowIp === undefined ? {} : { allowIp: options.allowIp }),
  });
  if (options.start !== false) await service.start();
  return {
    service,
    rpc,
    localNode,
    db,
    close: async () => {
      await service.stop();
      await localNode.close();
      await db.close();
    },
  };
}
