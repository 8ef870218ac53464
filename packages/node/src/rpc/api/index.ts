/**
 * The node's RPC API: every namespace over one {@link NodeRpcBackend}.
 * @module
 */
import { RpcRegistry } from '../registry.ts';
import { registerAdminApi } from './admin.ts';
import type { NodeRpcBackend } from './backend.ts';
import { registerBanApi } from './bans.ts';
import { registerInfoApi } from './info.ts';

/** The namespaces of {@link nodeRpcRegistry}, the default of `--http.api` and `--ws.api`. */
export const NODE_RPC_NAMESPACES: readonly string[] = ['admin', 'eth', 'ethp2p', 'net', 'web3'];

/** A registry with the node's methods: `admin`, `net`, `web3`, `eth` and `ethp2p`. */
export function nodeRpcRegistry(backend: NodeRpcBackend): RpcRegistry {
  const registry = new RpcRegistry();
  registerAdminApi(registry, backend);
  registerInfoApi(registry, backend);
  registerBanApi(registry, backend);
  return registry;
}
