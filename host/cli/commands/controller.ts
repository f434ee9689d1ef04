import { Option } from 'commander';
import type { Command } from 'commander';
import { connectNats } from '../../../lattice/client.ts';
import { natsOptionsOf, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { green, println } from '../output.ts';
import { runCommand } from '../run-command.ts';

/** `weft controller`: a standalone reconciler (one is active per lattice; others stand by). */
export function registerControllerCommand(program: Command): void {
  withLattice(program.command('controller'))
    .description('run the application reconciler in the foreground (weft up runs one too)')
    .addOption(new Option('--heartbeat-interval <seconds>', "hosts' heartbeat interval").default(30).argParser(Number))
    .addOption(
      new Option('--missed-heartbeats <n>', 'heartbeats a host may miss before its work moves')
        .default(2)
        .argParser(Number),
    )
    .addOption(new Option('--log-level <level>', 'log level').default('info'))
    .action(
      runCommand(
        async (o: LatticeCliOptions & { heartbeatInterval: number; missedHeartbeats: number; logLevel: string }) => {
          const [{ createLogger }, { Controller }] = await Promise.all([
            import('../../index.ts'),
            import('../../controller/index.ts'),
          ]);
          const nc = await connectNats({ ...natsOptionsOf(o), persistent: true, name: 'weft-controller' });
          const c = await Controller.start({
            nc,
            lattice: o.lattice,
            logger: createLogger(o.logLevel),
            heartbeatIntervalSec: o.heartbeatInterval,
            missedHeartbeats: o.missedHeartbeats,
          });
          println(`${green('✔')} controller running for lattice ${o.lattice} (Ctrl+C to stop)`);
          await new Promise<void>((r) => {
            process.once('SIGINT', () => r());
            process.once('SIGTERM', () => r());
          });
          await c.stop();
          await nc.drain();
        },
      ),
    );
}
