#!/usr/bin/env node
/**
 * The `weft` command, run directly (`node host/cli/main.ts`, `npm run weft`, the tests); the installed `weft` is
 * bin.js, which imports this file. The command tree is program.ts.
 */
import { enableCompileCache } from 'node:module';

// Node's compile cache keeps type-stripped sources and V8 code between runs: program.ts, the command files and what
// their actions import load without stripping after the first run (bin.js turns it on before this file loads)
enableCompileCache?.();
const { run } = await import('./program.ts');
await run();
