import { Option } from 'commander';
import type { Command } from 'commander';
import { connectNats, CtlClient } from '../../../lattice/client.ts';
import { natsOptionsOf, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { emit, green, println } from '../output.ts';
import { runCommand } from '../run-command.ts';

/** `weft ui`: the live web dashboard (like `wash ui`). */
export function registerUiCommand(program: Command): void {
  withLattice(program.command('ui'))
    .description(
      'serve a live web dashboard of the lattice: traffic per component (calls/s, errors/s, p50/p99), hosts with ' +
        'their load, the link graph, apps, events; everything served locally, nothing from outside the machine',
    )
    .addOption(new Option('-p, --port <port>', 'port to listen on').default(3030).argParser(Number))
    .addOption(new Option('--listen <host>', 'address to listen on').default('127.0.0.1'))
    .addHelpText(
      'after',
      '\nExamples:\n  weft ui                 # then open http://127.0.0.1:3030/\n  weft ui --port 8088 --lattice prod',
    )
    .action(
      runCommand(async (o: LatticeCliOptions & { port: number; listen: string }) => {
        (await import('../backstop.ts')).installBackstop(); // no lattice input and no forgotten promise may end the dashboard
        const nc = await connectNats({ ...natsOptionsOf(o), persistent: true });
        const { startUiServer } = await import('../ui/ui-server.ts');
        const ui = await startUiServer(
          new CtlClient(nc, { lattice: o.lattice, timeoutMs: o.timeoutMs }),
          o.port,
          o.listen,
        );
        emit(o.output, { success: true, url: ui.url }, () =>
          println(`${green('✔')} dashboard on ${ui.url} (Ctrl+C to stop)`),
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        await ui.close();
        await nc.close();
      }),
    );
}
