/**
 * The reputation and ban list methods of the `ethp2p` namespace (geth has none; Reth keeps its
 * ban list internal): `ethp2p_bans`, `ethp2p_ban`, `ethp2p_unban` and `ethp2p_reputation`.
 * @module
 */
import { bytesToHex, hexToBytes } from '@ethp2p/crypto';
import { EnodeUrlError, EnrError, Node, nodeIdToHex, normalizeIp } from '@ethp2p/enode';
import type { Ban, BanTargetInput, ReputationMetrics } from '@ethp2p/server';
import { serverError } from '../errors.ts';
import { optional, type ParamSpec, STRING_PARAM } from '../params.ts';
import { type RpcRegistry, rpcMethod } from '../registry.ts';
import { type NodeRpcBackend, runningServer } from './backend.ts';

/** One ban as the methods show it. */
export interface BanJson {
  readonly kind: 'id' | 'ip';
  /** The node ID (hex, no `0x`) of an ID ban. */
  readonly id?: string;
  /** The IP of an IP ban. */
  readonly ip?: string;
  /** When it ends, Unix ms. */
  readonly untilMs: number;
  /** When it ends, ISO 8601 UTC. */
  readonly until: string;
  readonly reason: string;
}

/** `ethp2p_reputation` with a target: its score now and whether it is banned. */
export interface ReputationJson {
  readonly kind: 'id' | 'ip';
  readonly target: string;
  readonly score: number;
  readonly banned: boolean;
}

/** A positive whole number of seconds, at most 10 years. */
const SECONDS_PARAM: ParamSpec<number> = {
  optional: false,
  parse: (value) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && value <= 315_360_000
      ? { value }
      : { error: 'expected a whole number of seconds in [1, 315360000]' },
};

/** Adds the reputation and ban methods to `registry`. */
export function registerBanApi(registry: RpcRegistry, backend: NodeRpcBackend): void {
  registry
    .method(
      'ethp2p',
      'bans',
      rpcMethod([], () => runningServer(backend).reputation.bans().map(banJson)),
    )
    .method(
      'ethp2p',
      'ban',
      rpcMethod(
        [STRING_PARAM, optional(SECONDS_PARAM), optional(STRING_PARAM)],
        ([target, seconds, reason]) => {
          const ban = runningServer(backend).reputation.ban(parseTarget(target), {
            ...(seconds === undefined ? {} : { durationMs: seconds * 1000 }),
            ...(reason === undefined ? {} : { reason }),
          });
          return banJson(ban);
        },
      ),
    )
    .method(
      'ethp2p',
      'unban',
      rpcMethod([STRING_PARAM], ([target]) =>
        runningServer(backend).reputation.unban(parseTarget(target)),
      ),
    )
    .method(
      'ethp2p',
      'reputation',
      rpcMethod([optional(STRING_PARAM)], ([target]): ReputationJson | ReputationMetrics => {
        const reputation = runningServer(backend).reputation;
        if (target === undefined) return reputation.metrics;
        const parsed = parseTarget(target);
        return parsed.kind === 'id'
          ? {
              kind: 'id',
              target: nodeIdToHex(parsed.id),
              score: reputation.score(parsed.id),
              banned: reputation.isBannedId(parsed.id),
            }
          : {
              kind: 'ip',
              target: parsed.ip,
              score: reputation.ipScore(parsed.ip),
              banned: reputation.isBannedIp(parsed.ip),
            };
      }),
    );
}

/** A ban as JSON. */
export function banJson(ban: Ban): BanJson {
  const when = { untilMs: ban.untilMs, until: new Date(ban.untilMs).toISOString() };
  return ban.kind === 'id'
    ? { kind: 'id', id: bytesToHex(ban.id), ...when, reason: ban.reason }
    : { kind: 'ip', ip: ban.ip, ...when, reason: ban.reason };
}

/**
 * What a target string names: an IP address, a node ID (64 hex digits, `0x` optional), or a
 * node by `enode://` URL or `enr:` text (its ID).
 * @throws {RpcError} `-32000` `invalid ban target: <text>`
 */
export function parseTarget(text: string): BanTargetInput {
  const trimmed = text.trim();
  const ip = normalizeIp(trimmed);
  if (ip !== undefined) return { kind: 'ip', ip };
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(trimmed)) {
    return { kind: 'id', id: hexToBytes(trimmed.replace(/^0x/, '')) };
  }
  try {
    return { kind: 'id', id: Node.parse(trimmed).id };
  } catch (err) {
    if (err instanceof EnodeUrlError || err instanceof EnrError) {
      throw serverError(`invalid ban target: ${trimmed}`);
    }
    throw err;
  }
}
