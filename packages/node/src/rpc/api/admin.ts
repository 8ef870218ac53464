/**
 * The `admin` namespace: geth's `admin_nodeInfo`, `admin_peers`, `admin_addPeer`,
 * `admin_removePeer`, `admin_addTrustedPeer`, `admin_removeTrustedPeer` (geth `node/api.go`)
 * and the `peerEvents` subscription.
 * @module
 */
import { EnodeUrlError, EnrError, Node } from '@ethp2p/enode';
import { serverError } from '../errors.ts';
import { STRING_PARAM } from '../params.ts';
import { type RpcRegistry, rpcMethod } from '../registry.ts';
import { type NodeRpcBackend, runningServer } from './backend.ts';
import { peerEventsSubscription } from './peer-events.ts';

/**
 * The node from an `enode://` URL or `enr:` text, as geth's `enode.Parse(enode.ValidSchemes)`.
 * @throws {RpcError} `-32000` `invalid enode: <reason>`
 */
function parseNodeParam(url: string): Node {
  try {
    return Node.parse(url.trim());
  } catch (err) {
    if (err instanceof EnodeUrlError || err instanceof EnrError) {
      throw serverError(`invalid enode: ${err.message}`);
    }
    throw err;
  }
}

type NodeAction = 'addPeer' | 'removePeer' | 'addTrustedPeer' | 'removeTrustedPeer';

/** Adds the `admin` methods and the `peerEvents` subscription to `registry`. */
export function registerAdminApi(registry: RpcRegistry, backend: NodeRpcBackend): void {
  registry
    .method(
      'admin',
      'nodeInfo',
      rpcMethod([], () => runningServer(backend).nodeInfo()),
    )
    .method(
      'admin',
      'peers',
      rpcMethod([], () => runningServer(backend).peersInfo()),
    );
  const actions: readonly NodeAction[] = [
    'addPeer',
    'removePeer',
    'addTrustedPeer',
    'removeTrustedPeer',
  ];
  for (const action of actions) {
    registry.method(
      'admin',
      action,
      rpcMethod([STRING_PARAM], ([url]) => {
        const server = runningServer(backend);
        server[action](parseNodeParam(url));
        return true;
      }),
    );
  }
  registry.subscription('admin', 'peerEvents', peerEventsSubscription(backend));
}
