import type { Command } from 'commander';
import type { Link } from '../../../lattice/index.ts';
import { collect, requireIds, withCtl, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { CliError, CliErrorCode } from '../errors.ts';
import { emit, green, println, renderTable } from '../output.ts';
import { runCommand } from '../run-command.ts';

interface LinkPutOptions extends LatticeCliOptions {
  interface: string[];
  sourceConfig: string[];
  targetConfig: string[];
  linkName: string;
}

/** Prints links as a table. */
export function printLinks(links: Link[]): void {
  if (!links.length) return println('no links');
  println(
    renderTable(
      ['SOURCE', 'TARGET', 'INTERFACE', 'NAME', 'SOURCE CONFIG', 'TARGET CONFIG'],
      links.map((l) => [
        l.source_id,
        l.target,
        `${l.wit_namespace}:${l.wit_package}/{${l.interfaces.join(',')}}`,
        l.name,
        l.source_config.join(','),
        l.target_config.join(','),
      ]),
    ),
  );
}

/** `weft link put|del|get`. */
export function registerLinkCommand(program: Command): void {
  const link = program.command('link').description('bind components to providers or other components at run time');

  withLattice(
    link
      .command('put')
      .argument('<source>', 'source id (the caller: component, or provider such as http-server)')
      .argument('<target>', 'target id (the callee)')
      .argument('<namespace>', 'WIT namespace, e.g. wasi')
      .argument('<package>', 'WIT package, e.g. keyvalue'),
  )
    .description('link a source to a target for the interfaces of one WIT package')
    .requiredOption('--interface <name>', 'interface of the package (repeatable)', collect, [])
    .option('--source-config <name>', 'named config for the source side (repeatable)', collect, [])
    .option('--target-config <name>', 'named config for the target side (repeatable)', collect, [])
    .option('--link-name <name>', 'link name', 'default')
    .addHelpText(
      'after',
      '\nExamples:\n  weft link put counter kv wasi keyvalue --interface store --interface atomics --target-config kv-cfg\n  weft link put http counter wasi http --interface incoming-handler --source-config http-cfg',
    )
    .action(
      runCommand(async (source: string, target: string, ns: string, pkg: string, o: LinkPutOptions) => {
        if (!o.interface.length) throw new CliError(CliErrorCode.Usage, 'give at least one --interface');
        requireIds({
          '<source>': source,
          '<target>': target,
          '--link-name': o.linkName,
          '--source-config': o.sourceConfig,
          '--target-config': o.targetConfig,
        });
        const l: Link = {
          source_id: source,
          target,
          name: o.linkName,
          wit_namespace: ns,
          wit_package: pkg,
          interfaces: o.interface,
          source_config: o.sourceConfig,
          target_config: o.targetConfig,
        };
        await withCtl(o, (ctl) => ctl.putLink(l));
        emit(o.output, { success: true, link: l }, () =>
          println(
            `${green('✔')} linked ${source} → ${target} on ${ns}:${pkg}/{${o.interface.join(',')}} (link name ${o.linkName})`,
          ),
        );
      }),
    );

  withLattice(link.command('del').alias('delete').argument('<source>').argument('<namespace>').argument('<package>'))
    .description('delete a link')
    .option('--link-name <name>', 'link name', 'default')
    .action(
      runCommand(async (source: string, ns: string, pkg: string, o: LatticeCliOptions & { linkName: string }) => {
        requireIds({ '<source>': source, '--link-name': o.linkName });
        await withCtl(o, (ctl) =>
          ctl.deleteLink({ source_id: source, wit_namespace: ns, wit_package: pkg, name: o.linkName }),
        );
        emit(o.output, { success: true }, () => println(`deleted link ${source} ${ns}:${pkg} (${o.linkName})`));
      }),
    );

  withLattice(link.command('get').alias('query'))
    .description('list every link on the lattice')
    .action(
      runCommand(async (o: LatticeCliOptions) => {
        const links = await withCtl(o, (ctl) => ctl.getLinks());
        emit(o.output, { links }, () => printLinks(links));
      }),
    );
}
