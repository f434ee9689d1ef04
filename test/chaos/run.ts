/**
 * `npm run chaos [-- --only=NAME] [--short]`: a 3-node NATS cluster, 3 host processes, the KV counter app deployed
 * by manifest, steady load over the lattice, one fault per scenario; prints the invariants table.
 */
import { writeFile } from 'node:fs/promises';
import { startChaosLattice } from './lattice.ts';
import { renderReports, runScenario } from './run-scenario.ts';
import type { ScenarioReport } from './run-scenario.ts';
import { SCENARIOS } from './scenarios.ts';

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const short = process.argv.includes('--short');
const chosen = SCENARIOS.filter((s) =>
  only ? s.name === only : short ? ['kill-9-host', 'kill-external-provider', 'malformed-flood'].includes(s.name) : true,
);
const t0 = Date.now();
const l = await startChaosLattice();
const reports: ScenarioReport[] = [];
try {
  for (const s of chosen) {
    process.stderr.write(`scenario ${s.name}: ${s.description}\n`);
    reports.push(await runScenario(l, s));
  }
} finally {
  await l.stop();
  console.log(`host logs: ${l.home}/host-*.log`);
}
console.log(renderReports(reports));
for (const r of reports)
  if (Object.keys(r.errors).length || Object.keys(r.http.errors).length)
    console.log(`${r.scenario} errors: lattice ${JSON.stringify(r.errors)}, http ${JSON.stringify(r.http.errors)}`);
console.log(
  `\n${reports.filter((r) => r.ok).length}/${reports.length} scenarios held every invariant in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
);
await writeFile('chaos-results.json', JSON.stringify(reports, null, 2));
process.exit(reports.every((r) => r.ok) ? 0 : 1);
