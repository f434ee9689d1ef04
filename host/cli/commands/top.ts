import { Option } from 'commander';
import type { Command } from 'commander';
import { connectNats, CtlClient } from '../../../lattice/client.ts';
import { natsOptionsOf, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { emit } from '../output.ts';
import { runCommand } from '../run-command.ts';

/** `weft top`: the dashboard's traffic and host figures in the terminal, refreshed live. */
export function registerTopCommand(program: Command): void {
  withLattice(program.command('top'))
    .description(
      'live traffic per component (calls/s, errors/s by code, p50/p99 latency) and host load (uptime, CPU, RSS, ' +
        'guest workers, instances in use vs cap) in the terminal; q quits',
    )
    .addOption(new Option('--interval <ms>', 'ms between two screens').default(1000).argParser(Number))
    .addOption(
      new Option('--sample-for <ms>', 'with -o json: how long to collect metrics samples before printing')
        .default(6000)
        .argParser(Number),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  weft top                     # q, Esc or Ctrl+C quits\n  weft top --lattice prod --interval 2000\n  weft top -o json             # one snapshot after --sample-for ms, for scripts',
    )
    .action(
      runCommand(async (o: LatticeCliOptions & { interval: number; sampleFor: number }) => {
        (await import('../backstop.ts')).installBackstop(); // no lattice input may end it (and leave the terminal raw)
        const nc = await connectNats({ ...natsOptionsOf(o), persistent: true });
        const ctl = new CtlClient(nc, { lattice: o.lattice, timeoutMs: o.timeoutMs });
        const top = await import('../top/run-top.ts');
        try {
          if (o.output === 'json') {
            const view = await top.followLattice(ctl);
            await new Promise((r) => setTimeout(r, o.sampleFor));
            const f = top.topFrame(view);
            view.stop();
            emit(
              o.output,
              {
                success: true,
                ...f,
                traffic: undefined,
                hosts: f.hosts.map((h) => ({ ...h, ...f.traffic.hosts[h.host_id]?.last })),
              },
              () => undefined,
            );
          } else await top.runTop(ctl, { intervalMs: o.interval });
        } finally {
          await nc.close();
        }
      }),
    );
}
