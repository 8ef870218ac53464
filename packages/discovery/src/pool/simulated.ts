/**
 * The simulated {@link SignatureRunner}: packets carry the sender's public key instead of a
 * signature ({@link sealSimulated}), so a datagram costs no secp256k1, and its receiver trusts
 * its hash instead of hashing it again. For simulations of many nodes on an in-memory network only:
 * `DiscoveryV4` refuses it (`SIMULATION_ONLY`) on a socket that is not `inMemory`, such as one
 * from `bindUdpSocket`.
 * @module
 */
import { type SimulationMemo, sharedSimulationMemo } from '../service/simulation-memo.ts';
import { sealSimulated, simulatedSender } from '../wire/simulated-signature.ts';
import { InlineSignatures } from './inline.ts';

/**
 * Simulated signature work, synchronous like {@link InlineSignatures}: `seal` writes the node's
 * public key where the signature goes, `recover` reads the sender's back. Never sheds.
 * @example
 * ```ts
 * const service = new DiscoveryV4({ ...options, socket: net.bind('10.0.0.1'),
 *   signatures: new SimulatedSignatures(publicKey(privateKey)) });
 * ```
 */
export class SimulatedSignatures extends InlineSignatures {
  /** Marks a runner whose packets prove nothing: only `inMemory` sockets accept it. */
  readonly simulated = true;
  /**
   * What the service shares with the other simulated nodes of the process (node IDs, verified
   * records, neighbour nodes): by default the process-wide memo.
   */
  readonly memo: SimulationMemo;

  /**
   * `publicKey`: the node's 64-byte public key (X‖Y), written into every packet it seals.
   * @throws {RangeError} if it is not 64 bytes
   */
  constructor(publicKey: Uint8Array, memo: SimulationMemo = sharedSimulationMemo) {
    if (!(publicKey instanceof Uint8Array) || publicKey.length !== 64) {
      throw new RangeError('publicKey: expected 64 bytes');
    }
    const key = Uint8Array.from(publicKey);
    super({ seal: (out) => sealSimulated(out, key), sender: simulatedSender });
    this.memo = memo;
  }
}
