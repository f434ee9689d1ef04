import type { Command } from 'commander';
import { EventType } from '../../../lattice/client.ts';
import { withCtl, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { emit, println } from '../output.ts';
import { resolveHost } from '../resolve-host.ts';
import { runCommand } from '../run-command.ts';

interface StopHostOptions extends LatticeCliOptions {
  hostTimeout?: number;
  skipWait?: boolean;
}

/** `weft stop host HOST` (components and providers are added by their features). */
export function registerStopCommand(program: Command): Command {
  const stop = program.command('stop').description('stop a host, component or provider');
  withLattice(stop.command('host').argument('<host>', 'host id, id prefix or friendly name'))
    .description('stop a host gracefully (it publishes host_stopped and drains)')
    .option('--host-timeout <ms>', 'longest drain in ms', (v) => Number(v))
    .option('--skip-wait', 'do not wait for host_stopped')
    .addHelpText('after', '\nExamples:\n  weft stop host NB3K\n  weft stop host quiet-loom-0042 -o json')
    .action(
      runCommand(async (hostRef: string, o: StopHostOptions) => {
        const host = await withCtl(o, async (ctl) => {
          const h = await resolveHost(ctl, hostRef);
          let stopped: Promise<void> = Promise.resolve();
          if (!o.skipWait) {
            stopped = new Promise<void>((resolve) => {
              const subs = ctl.subscribeEvents(
                (e) => {
                  if (e.source === h.id) {
                    subs.forEach((s) => s.unsubscribe());
                    resolve();
                  }
                },
                [EventType.HostStopped],
              );
              setTimeout(resolve, (o.hostTimeout ?? 10_000) + 2000).unref();
            });
            await ctl.flush();
          }
          await ctl.stopHost(h.id, o.hostTimeout);
          await stopped;
          return h;
        });
        emit(o.output, { success: true, host_id: host.id }, () =>
          println(`host ${host.friendly_name} (${host.id}) stopped`),
        );
      }),
    );
  return stop;
}
