/**
 * A `@chainsafe/discv5` node for interop tests: bound to 127.0.0.1 on a port the OS picks, its
 * record carrying that port, stopped by `close()`. Test-only (a devDependency).
 */
import { Discv5 } from '@chainsafe/discv5';
import { SignableENR } from '@chainsafe/enr';
import { generatePrivateKey } from '@ethp2p/crypto';

/** A started chainsafe node. */
export interface ChainsafeNode {
  readonly discv5: Discv5;
  /** Its 32-byte secp256k1 private key. */
  readonly privateKey: Uint8Array;
  /** The UDP port it is bound to. */
  readonly port: number;
  /** Stops it (idempotent); its socket is closed when this resolves. */
  close(): Promise<void>;
}

/** The bound IPv4 socket of a started node: chainsafe keeps it in its (untyped) transport. */
function boundPort(discv5: Discv5): number {
  const transport = discv5.sessionService.transport as unknown as {
    ip4?: { socket?: { address(): { port: number } } };
  };
  const port = transport.ip4?.socket?.address().port;
  if (port === undefined || port === 0) throw new Error('chainsafe discv5: no bound IPv4 socket');
  return port;
}

/**
 * Starts a chainsafe discv5 node on 127.0.0.1, port 0, and writes the bound port into its
 * record. `config` overrides chainsafe's defaults (for example shorter timeouts).
 */
export async function startChainsafe(
  config: Parameters<typeof Discv5.create>[0]['config'] = {},
): Promise<ChainsafeNode> {
  const privateKey = generatePrivateKey();
  const enr = SignableENR.createV4(privateKey, {});
  enr.ip = '127.0.0.1';
  enr.udp = 0;
  const bind = enr.getLocationMultiaddr('udp4');
  if (bind === undefined) throw new Error('chainsafe discv5: no bind address');
  // Discv5.create reads only `type` and `raw` of the libp2p key object.
  const libp2pKey = { type: 'secp256k1', raw: privateKey } as unknown as Parameters<
    typeof Discv5.create
  >[0]['privateKey'];
  const discv5 = Discv5.create({ enr, privateKey: libp2pKey, bindAddrs: { ip4: bind }, config });
  await discv5.start();
  let stopping: Promise<void> | undefined;
  try {
    const port = boundPort(discv5);
    discv5.enr.udp = port;
    return {
      discv5,
      privateKey,
      port,
      close: () => {
        stopping ??= discv5.stop();
        return stopping;
      },
    };
  } catch (err) {
    await discv5.stop();
    throw err;
  }
}
