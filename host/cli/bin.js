#!/usr/bin/env node
// Entry of the `weft` command. weft runs on Node 26 (shipped as the npm package `node`): on it, main.ts runs in this
// process; started by an older Node (e.g. a global `npm link`), re-run main.ts under the project's own Node 26.
const major = Number(process.versions.node.split('.')[0]);
if (major >= 26) {
  // Node's compile cache keeps type-stripped sources and V8 code between runs, so a command after the first loads
  // no TypeScript stripper (~18 MB and ~60 ms of each start). NODE_DISABLE_COMPILE_CACHE=1 turns it off.
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
  await import('./main.ts');
} else {
  const [{ spawn }, { createRequire }, { dirname, join }, { fileURLToPath }] = await Promise.all([
    import('node:child_process'),
    import('node:module'),
    import('node:path'),
    import('node:url'),
  ]);
  const require = createRequire(import.meta.url);
  let node;
  try {
    node = join(dirname(require.resolve('node/package.json')), 'bin', 'node');
  } catch {
    process.stderr.write(
      'error [CLI_NO_NODE26] weft needs Node 26, shipped as a dependency\nhint: run `npm ci` in the weft folder\n',
    );
    process.exit(1);
  }
  // this file again, not main.ts: on Node 26 it turns the compile cache on before main.ts loads, so main.ts is not
  // type-stripped on every start (~0.1 s of `weft build` on an up-to-date actor)
  const child = spawn(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  // the `node` package's binary is missing (an `npm ci` still installing it, or one that failed): say so, no stack
  child.on('error', (err) => {
    process.stderr.write(
      `error [CLI_NO_NODE26] weft needs Node 26 at ${node}: ${err.message}\nhint: run \`npm ci\` in the weft folder (or wait for it to finish)\n`,
    );
    process.exit(1);
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}
