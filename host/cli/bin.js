#!/usr/bin/env node
// Entry of the `weft` command. weft runs on Node 26 (shipped as the npm package `node`): when started by an
// older Node (e.g. a global `npm link`), re-run main.ts under the project's own Node 26.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, 'main.ts');
const major = Number(process.versions.node.split('.')[0]);
if (major >= 26) {
  await import(pathToFileURL(main).href);
} else {
  const require = createRequire(import.meta.url);
  let node;
  try {
    node = join(dirname(require.resolve('node/package.json')), 'bin', 'node');
  } catch {
    process.stderr.write('error [CLI_NO_NODE26] weft needs Node 26, shipped as a dependency\nhint: run `npm ci` in the weft folder\n');
    process.exit(1);
  }
  const child = spawn(node, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}
