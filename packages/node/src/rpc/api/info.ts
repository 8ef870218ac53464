/**
 * The `net`, `web3` and `eth` methods a devp2p node can answer (geth `node/api.go` web3API,
 * `internal/ethapi` netAPI, `eth_chainId`, `eth_blockNumber`), and the `ethp2p` namespace for
 * what geth does not show: the discovery table and the dial counters.
 * @module
 */
import { logDistance, type Node, nodeIdToHex } from '@ethp2p/enode';
import { serverError } from '../errors.ts';
import { type RpcRegistry, rpcMethod } from '../registry.ts';
import { hexQuantity, type NodeRpcBackend, runningServer } from './backend.ts';

/** One node of `ethp2p_discoveryTable`. */
export interface TableNodeJson {
  readonly id: string;
  readonly enode: string;
  readonly enr?: string;
  readonly ip?: string;
  readonly udp?: number;
  readonly tcp?: number;
}

/** `ethp2p_discoveryTable`: the table's nodes grouped by log distance from us. */
export interface DiscoveryTableJson {
  /** Our node ID. */
  readonly self: string;
  /** How many nodes the table holds. */
  readonly total: number;
  /**
   * Non-empty groups, nearest first. geth's table folds distances up to 239 into its bucket 0;
   * here each distance is its own entry.
   */
  readonly buckets: readonly { readonly distance: number; readonly nodes: TableNodeJson[] }[];
}

function tableNode(node: Node): TableNodeJson {
  return {
    id: nodeIdToHex(node.id),
    enode: node.enodeUrl(),
    ...(node.record === undefined ? {} : { enr: node.record.encodeText() }),
    ...(node.ip === undefined ? {} : { ip: node.ip }),
    ...(node.udp === undefined ? {} : { udp: node.udp }),
    ...(node.tcp === undefined ? {} : { tcp: node.tcp }),
  };
}

/** Adds `net_*`, `web3_clientVersion`, `eth_chainId`, `eth_blockNumber` and `ethp2p_*`. */
export function registerInfoApi(registry: RpcRegistry, backend: NodeRpcBackend): void {
  registry
    .method(
      'net',
      'version',
      rpcMethod([], () => backend.networkId.toString()),
    )
    .method(
      'net',
      'peerCount',
      rpcMethod([], () => hexQuantity(runningServer(backend).peerCount())),
    )
    .method(
      'net',
      'listening',
      rpcMethod([], () => true),
    )
    .method(
      'web3',
      'clientVersion',
      rpcMethod([], () => runningServer(backend).name),
    )
    .method(
      'eth',
      'chainId',
      rpcMethod([], () => hexQuantity(backend.chain.config.chainId)),
    )
    .method(
      'eth',
      'blockNumber',
      rpcMethod([], () => hexQuantity(backend.chain.head().number)),
    )
    .method(
      'ethp2p',
      'discoveryTable',
      rpcMethod([], () => discoveryTable(backend)),
    )
    .method(
      'ethp2p',
      'dialStats',
      rpcMethod([], () => runningServer(backend).dialMetrics),
    );
}

function discoveryTable(backend: NodeRpcBackend): DiscoveryTableJson {
  const discovery = backend.discovery;
  if (discovery === undefined) throw serverError('discovery is not running');
  const self = discovery.self();
  const groups = new Map<number, TableNodeJson[]>();
  const nodes = discovery.nodes();
  for (const node of nodes) {
    const d = logDistance(self.id, node.id);
    const group = groups.get(d) ?? [];
    group.push(tableNode(node));
    groups.set(d, group);
  }
  const buckets = [...groups]
    .sort(([a], [b]) => a - b)
    .map(([distance, list]) => ({ distance, nodes: list }));
  return { self: nodeIdToHex(self.id), total: nodes.length, buckets };
}
