/**
 * Settings of `DiscV5Rpc`, with go-ethereum's defaults.
 * @module
 */
import { checkPositiveInt, checkPositiveMs } from '@ethp2p/base';
import { isLan } from '../../netutil.ts';
import { DEFAULT_SESSION_LIMITS, type SessionLimits } from '../session/codec.ts';

/** Settings of `DiscV5Rpc`. */
export interface DiscV5RpcConfig extends SessionLimits {
  /** How long a call waits for each response packet (geth `Config.V5RespTimeout`, 700 ms). */
  readonly responseTimeoutMs: number;
  /** NODES responses accepted per FINDNODE (geth `totalNodesResponseLimit`). */
  readonly maxNodesResponses: number;
  /** Records we answer a FINDNODE with at most (geth `findnodeResultLimit`). */
  readonly findNodeResultLimit: number;
  /** Bytes of records per NODES packet we send (geth `packNodes` sizeLimit). */
  readonly nodesPacketRecordBytes: number;
  /** IPs exempt from the per-IP session and challenge limits. Default: LAN and loopback. */
  readonly exemptIp: (ip: string) => boolean;
}

/** The defaults of {@link DiscV5RpcConfig}. */
export const DEFAULT_DISCV5_RPC_CONFIG: DiscV5RpcConfig = {
  ...DEFAULT_SESSION_LIMITS,
  responseTimeoutMs: 700,
  maxNodesResponses: 5,
  findNodeResultLimit: 16,
  nodesPacketRecordBytes: 1000,
  exemptIp: isLan,
};

/** The defaults overridden by `overrides`, checked. @throws {RangeError} on a bad value */
export function resolveRpcConfig(overrides: Partial<DiscV5RpcConfig> = {}): DiscV5RpcConfig {
  const c = { ...DEFAULT_DISCV5_RPC_CONFIG, ...overrides };
  checkPositiveMs('responseTimeoutMs', c.responseTimeoutMs);
  checkPositiveMs('handshakeTimeoutMs', c.handshakeTimeoutMs);
  checkPositiveMs('sessionTimeoutMs', c.sessionTimeoutMs);
  for (const key of [
    'maxNodesResponses',
    'findNodeResultLimit',
    'nodesPacketRecordBytes',
    'sessionCacheSize',
    'maxPendingChallenges',
    'maxSessionsPerIp',
    'maxChallengesPerIp',
  ] as const) {
    checkPositiveInt(key, c[key]);
  }
  return c;
}
