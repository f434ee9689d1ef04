import type { Command } from 'commander';
import { parseKeyValues, requireIds, withCtl, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { emit, println, renderTable } from '../output.ts';
import { runCommand } from '../run-command.ts';

/** `weft config put|get|del NAME`: named config in `CONFIGDATA_{lattice}`. */
export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description('named configuration used by components, providers and links');

  withLattice(config.command('put').argument('<name>', 'config name').argument('<pairs...>', 'KEY=VALUE pairs'))
    .description('create or replace a named config')
    .addHelpText(
      'after',
      '\nExamples:\n  weft config put http-cfg address=127.0.0.1:8080\n  weft config put kv bucket=counters',
    )
    .action(
      runCommand(async (name: string, pairs: string[], o: LatticeCliOptions) => {
        requireIds({ '<name>': name });
        const values = parseKeyValues(pairs);
        await withCtl(o, (ctl) => ctl.putConfig(name, values));
        emit(o.output, { success: true, name, values }, () =>
          println(`config ${name} set (${Object.keys(values).length} keys)`),
        );
      }),
    );

  withLattice(config.command('get').argument('<name>', 'config name'))
    .description('show a named config')
    .action(
      runCommand(async (name: string, o: LatticeCliOptions) => {
        requireIds({ '<name>': name });
        const values = await withCtl(o, (ctl) => ctl.getConfig(name));
        emit(o.output, values, () => println(renderTable(['KEY', 'VALUE'], Object.entries(values))));
      }),
    );

  withLattice(config.command('del').alias('delete').argument('<name>', 'config name'))
    .description('delete a named config')
    .action(
      runCommand(async (name: string, o: LatticeCliOptions) => {
        requireIds({ '<name>': name });
        await withCtl(o, (ctl) => ctl.deleteConfig(name));
        emit(o.output, { success: true, name }, () => println(`config ${name} deleted`));
      }),
    );
}
