/**
 * The built-in commands and groups of `ethp2p`. To add a command, write its `CommandSpec` in its
 * own file and list it here.
 * @module
 */
import type { CommandSpec, GroupSpec } from './command.ts';
import { DISCV4_COMMANDS, DISCV4_GROUP } from './discv4/index.ts';
import { DISCV5_COMMANDS, DISCV5_GROUP } from './discv5/index.ts';
import { DNS_COMMANDS, DNS_GROUP } from './dns/index.ts';
import { ENR_COMMANDS } from './enr.ts';
import { KEY_COMMANDS, KEY_GROUP } from './key.ts';
import { NODE_COMMAND } from './node.ts';
import { NODESET_COMMANDS, NODESET_GROUP } from './nodeset.ts';
import { RLPX_COMMANDS, RLPX_GROUP } from './rlpx/ping.ts';
import { RPC_COMMAND } from './rpc.ts';
import { SIM_COMMAND } from './sim.ts';
import { TESTNET_COMMAND } from './testnet.ts';
import { VERSION_COMMAND } from './version.ts';

/** Every built-in command, in help order. */
export const COMMANDS: readonly CommandSpec[] = [
  NODE_COMMAND,
  ...KEY_COMMANDS,
  ...ENR_COMMANDS,
  ...DISCV4_COMMANDS,
  ...DISCV5_COMMANDS,
  ...DNS_COMMANDS,
  ...NODESET_COMMANDS,
  ...RLPX_COMMANDS,
  RPC_COMMAND,
  SIM_COMMAND,
  TESTNET_COMMAND,
  VERSION_COMMAND,
];

/** The groups' help texts; the root group (`[]`) is the program itself. */
export const GROUPS: readonly GroupSpec[] = [
  {
    path: [],
    summary: 'ethp2p: devp2p tools (node keys, records, discovery v4 and v5) and a sample node',
    examples: [
      'ethp2p key generate nodekey',
      'ethp2p enr decode enr:-IS4Q...',
      'ethp2p discv4 ping enode://...@127.0.0.1:30303',
    ],
  },
  KEY_GROUP,
  {
    path: ['enr'],
    summary: 'Node records (EIP-778)',
    examples: ['ethp2p enr decode "$(ethp2p key to-enr nodekey)"'],
  },
  DISCV4_GROUP,
  DISCV5_GROUP,
  DNS_GROUP,
  NODESET_GROUP,
  RLPX_GROUP,
];
