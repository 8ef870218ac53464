#!/usr/bin/env node
// The `ethp2p` command: a thin launcher for the built CLI (run `pnpm build` first).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
