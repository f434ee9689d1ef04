import { Option } from 'commander';
import type { Command } from 'commander';
import { connectNats, CtlClient } from '../../../lattice/client.ts';
import type { CloudEvent } from '../../../lattice/index.ts';
import { collect, natsOptionsOf, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { dim, println } from '../output.ts';
import { runCommand } from '../run-command.ts';

interface EventsOptions extends LatticeCliOptions {
  type: string[];
  count?: number;
  for?: number;
}

/** One line per event for humans: time, type, source and the key fields. */
export function formatEvent(e: CloudEvent): string {
  const type = e.type.replace('com.wasmcloud.lattice.', '');
  const d = e.data;
  const keys = [
    'component_id',
    'provider_id',
    'image_ref',
    'max_instances',
    'source_id',
    'target',
    'config_name',
    'error',
  ];
  const detail = keys.filter((k) => d[k] !== undefined).map((k) => `${k}=${String(d[k])}`);
  return `${e.time.slice(11, 23)}  ${type.padEnd(22)} ${dim(e.source.slice(0, 12))}  ${detail.join(' ')}`;
}

/** Registers `weft get events` under the given `get` command. */
export function registerEventsCommand(get: Command): void {
  withLattice(get.command('events'))
    .description('stream lattice events as they happen (Ctrl+C to stop)')
    .option('--type <type>', 'only these event types, e.g. component_scaled (repeatable)', collect, [])
    .addOption(new Option('--count <n>', 'exit after n events').argParser(Number))
    .addOption(new Option('--for <seconds>', 'exit after this many seconds').argParser(Number))
    .addHelpText(
      'after',
      '\nExamples:\n  weft get events\n  weft get events --type component_scaled,component_scale_failed -o json',
    )
    .action(
      runCommand(async (o: EventsOptions) => {
        const nc = await connectNats(natsOptionsOf(o));
        const ctl = new CtlClient(nc, { lattice: o.lattice });
        let seen = 0;
        await new Promise<void>((resolve) => {
          const subs = ctl.subscribeEvents((e) => {
            println(o.output === 'json' ? JSON.stringify(e) : formatEvent(e));
            if (o.count !== undefined && ++seen >= o.count) resolve();
          }, o.type);
          if (o.for !== undefined) setTimeout(resolve, o.for * 1000);
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
          if (o.output !== 'json') process.stderr.write(dim(`watching events on lattice ${o.lattice}…\n`));
          void nc.closed().then(() => resolve());
          void subs;
        });
        await nc.close();
      }),
    );
}
