import type { Command } from 'commander';
import { withCtl, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { CliError, CliErrorCode } from '../errors.ts';
import { emit, println } from '../output.ts';
import { resolveHost } from '../resolve-host.ts';
import { runCommand } from '../run-command.ts';

/** Parses `k=v[,k=v]` (or bare keys with `--delete`). */
export function parseLabelPairs(text: string, withValues: boolean): [string, string][] {
  return text
    .split(',')
    .filter((p) => p.trim())
    .map((pair) => {
      const i = pair.indexOf('=');
      if (withValues && i <= 0) throw new CliError(CliErrorCode.Usage, `label "${pair}" is not key=value`);
      return i < 0 ? [pair.trim(), ''] : [pair.slice(0, i).trim(), pair.slice(i + 1)];
    });
}

interface LabelOptions extends LatticeCliOptions {
  delete?: boolean;
}

/** `weft label HOST k=v[,k=v]` (`--delete` to remove). */
export function registerLabelCommand(program: Command): void {
  withLattice(
    program
      .command('label')
      .alias('tag')
      .argument('<host>', 'host id, id prefix or friendly name')
      .argument('<labels>', 'k=v[,k=v] (keys only with --delete)'),
  )
    .description('put or delete labels on a host')
    .option('--delete', 'delete the given label keys')
    .addHelpText(
      'after',
      '\nExamples:\n  weft label NB3K zone=eu,tier=edge\n  weft label quiet-loom-0042 zone --delete',
    )
    .action(
      runCommand(async (hostRef: string, labels: string, o: LabelOptions) => {
        const pairs = parseLabelPairs(labels, !o.delete);
        const host = await withCtl(o, async (ctl) => {
          const h = await resolveHost(ctl, hostRef);
          for (const [k, v] of pairs) {
            if (o.delete) await ctl.deleteLabel(h.id, k);
            else await ctl.putLabel(h.id, k, v);
          }
          return h;
        });
        const keys = pairs.map(([k]) => k);
        emit(
          o.output,
          {
            success: true,
            host_id: host.id,
            [o.delete ? 'deleted' : 'labels']: o.delete ? keys : Object.fromEntries(pairs),
          },
          () => println(`${o.delete ? 'deleted' : 'set'} ${keys.join(', ')} on ${host.friendly_name} (${host.id})`),
        );
      }),
    );
}
