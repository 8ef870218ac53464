/**
 * Every fuzz target, in the order `pnpm fuzz` runs them.
 * @module
 */
import type { TargetSpec } from '../target.ts';
import { discv4Target } from './discv4.ts';
import { discv5MessageTarget, discv5PacketTarget } from './discv5.ts';
import { dnsdiscTarget } from './dnsdisc.ts';
import { enodeUrlTarget, enrTarget, enrTextTarget, nodeDbTarget } from './enr.ts';
import { chainTarget, ethTargets, forkIdTarget } from './eth.ts';
import { disconnectTarget, helloTarget } from './p2p.ts';
import { rlpTarget } from './rlp.ts';
import { rlpxFrameSnappyTarget, rlpxFrameTarget, snappyTarget } from './rlpx-frame.ts';
import { rlpxAckTarget, rlpxAuthTarget } from './rlpx-handshake.ts';

/** The registry: every decoder boundary of ethp2p that reads untrusted bytes. */
export const TARGETS: readonly TargetSpec[] = [
  rlpTarget,
  discv4Target,
  discv5PacketTarget,
  discv5MessageTarget,
  enrTarget,
  enrTextTarget,
  enodeUrlTarget,
  nodeDbTarget,
  rlpxAuthTarget,
  rlpxAckTarget,
  rlpxFrameTarget,
  rlpxFrameSnappyTarget,
  snappyTarget,
  helloTarget,
  disconnectTarget,
  ...ethTargets,
  forkIdTarget,
  chainTarget,
  dnsdiscTarget,
];
