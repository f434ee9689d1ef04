import { describe, expect, it } from 'vitest';
import { startChaosLattice } from '../chaos/lattice.ts';
import { renderReports, runScenario } from '../chaos/run-scenario.ts';
import { SCENARIOS } from '../chaos/scenarios.ts';

describe('chaos (short)', () => {
  it('chaos - kill -9 of a host, of the external providers, and a flood of malformed messages under load: no acknowledged write lost, app deployed, no crash', async () => {
    const l = await startChaosLattice();
    try {
      const reports = [];
      for (const name of ['kill-9-host', 'kill-external-provider', 'malformed-flood'])
        reports.push(
          await runScenario(
            l,
            SCENARIOS.find((s) => s.name === name)!,
          ),
        );
      console.log(renderReports(reports));
      for (const r of reports) {
        expect(r.lost, r.scenario).toBe(0);
        expect(r.acked, r.scenario).toBeGreaterThan(0);
        expect(r.deployed, r.scenario).toBe(true);
        expect(r.unexpectedExits, r.scenario).toBe(0);
      }
    } finally {
      await l.stop();
    }
  }, 300_000);
});
