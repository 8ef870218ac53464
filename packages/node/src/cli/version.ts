/**
 * `ethp2p version` (also `ethp2p --version`): the client name `ethp2p node` sends its peers.
 * @module
 */
import { defaultClientName } from '../node/config.ts';
import type { CommandSpec } from './command.ts';

/** `ethp2p version`. */
export const VERSION_COMMAND: CommandSpec = {
  path: ['version'],
  summary: 'Print the client version: the name the node gives its peers in Hello',
  args: [],
  options: {},
  examples: ['ethp2p version', 'ethp2p --version'],
  async run(ctx) {
    ctx.out(defaultClientName());
  },
};
