/**
 * `npm run bench`: every scenario with its baseline measured in the same run; prints one table and writes
 * bench-results.json. `--quick` for a short run, `--only=density|components|http|engines|cli|idle` (or `lattice`: the lattice-call rows of components) for one group. Loopback only,
 * bounded in time.
 */
import { writeFile } from 'node:fs/promises';
import { NatsServer } from '../helpers/index.ts';
import { cliScenarios } from './scenarios-cli.ts';
import { componentScenarios, latticeScenarios } from './scenarios-components.ts';
import { densityScenarios } from './scenarios-density.ts';
import { engineScenarios } from './scenarios-engines.ts';
import { httpScenarios } from './scenarios-http.ts';
import { idleScenarios } from './scenarios-idle.ts';
import { renderBench } from './table.ts';
import type { BenchRow } from './table.ts';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const ns = await NatsServer.start();
const rows: BenchRow[] = [];
try {
  if (!only || only === 'density') rows.push(...(await densityScenarios(quick))); // first: a quiet heap
  if (!only || only === 'components') rows.push(...(await componentScenarios(ns.url, quick)));
  if (only === 'lattice') rows.push(...(await latticeScenarios(ns.url, quick))); // part of components
  if (!only || only === 'http') rows.push(...(await httpScenarios(ns.url, quick)));
  if (!only || only === 'engines') rows.push(...(await engineScenarios(ns.url, quick))); // QuickJS vs StarlingMonkey
  if (!only || only === 'cli') rows.push(...(await cliScenarios(quick))); // its own nats-server, with nkey auth like `weft up`'s
  if (!only || only === 'idle') rows.push(...(await idleScenarios())); // `weft up` as its own process
} finally {
  await ns.stop();
}
console.log(renderBench(rows));
await writeFile('bench-results.json', JSON.stringify({ date: new Date().toISOString(), quick, rows }, null, 2));
console.log('\nwrote bench-results.json');
process.exit(0);
