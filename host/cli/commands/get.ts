import type { Command } from 'commander';
import type { HostInventory } from '../../../lattice/index.ts';
import { withCtl, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { emit, formatLabels, println, renderTable } from '../output.ts';
import { resolveHost } from '../resolve-host.ts';
import { runCommand } from '../run-command.ts';
import { registerEventsCommand } from './events.ts';
import { printLinks } from './link.ts';

/** `weft get hosts|inventory|claims`. */
export function registerGetCommand(program: Command): void {
  const get = program.command('get').description('show lattice state: hosts, inventory, claims');

  withLattice(get.command('hosts'))
    .description('list the hosts of the lattice (scatter-gather host.ping)')
    .addHelpText('after', '\nExamples:\n  weft get hosts\n  weft get hosts -o json --lattice prod')
    .action(
      runCommand(async (o: LatticeCliOptions) => {
        const hosts = await withCtl(o, (ctl) => ctl.getHosts());
        hosts.sort((a, b) => a.friendly_name.localeCompare(b.friendly_name));
        emit(o.output, { hosts }, () => {
          if (!hosts.length) return println(`no hosts on lattice ${o.lattice} (start one with \`weft up\`)`);
          println(
            renderTable(
              ['HOST ID', 'FRIENDLY NAME', 'UPTIME', 'VERSION', 'LABELS'],
              hosts.map((h) => [h.id, h.friendly_name, h.uptime_human, h.version, formatLabels(h.labels)]),
            ),
          );
        });
      }),
    );

  withLattice(get.command('inventory').argument('[host]', 'host id, id prefix or friendly name (default: all)'))
    .alias('inv')
    .description('show what runs on a host (components, providers, labels)')
    .addHelpText('after', '\nExamples:\n  weft get inventory\n  weft get inventory NB3K -o json')
    .action(
      runCommand(async (hostRef: string | undefined, o: LatticeCliOptions) => {
        const invs = await withCtl(o, async (ctl) => {
          const ids = hostRef ? [(await resolveHost(ctl, hostRef)).id] : (await ctl.getHosts()).map((h) => h.id);
          return Promise.all(ids.map((id) => ctl.getHostInventory(id)));
        });
        emit(o.output, hostRef ? invs[0] : { inventories: invs }, () => {
          if (!invs.length) println(`no hosts on lattice ${o.lattice}`);
          invs.forEach(printInventory);
        });
      }),
    );

  withLattice(get.command('links'))
    .description('list every link on the lattice')
    .action(
      runCommand(async (o: LatticeCliOptions) => {
        const links = await withCtl(o, (ctl) => ctl.getLinks());
        emit(o.output, { links }, () => printLinks(links));
      }),
    );

  registerEventsCommand(get);

  withLattice(get.command('claims'))
    .description('list the claims of components and providers run on the lattice')
    .action(
      runCommand(async (o: LatticeCliOptions) => {
        const claims = await withCtl(o, (ctl) => ctl.getClaims());
        emit(o.output, { claims }, () =>
          println(
            claims.length
              ? renderTable(
                  ['SUBJECT', 'NAME', 'ISSUER', 'VERSION'],
                  claims.map((c) => [c['subject'] ?? '', c['name'] ?? '', c['issuer'] ?? '', c['version'] ?? '']),
                )
              : 'no claims stored',
          ),
        );
      }),
    );
}

function printInventory(inv: HostInventory): void {
  println(`Host ${inv.host_id} (${inv.friendly_name}), up ${inv.uptime_human}, version ${inv.version}`);
  println(`  labels: ${formatLabels(inv.labels)}`);
  println(
    inv.components.length
      ? renderTable(
          ['  COMPONENT ID', 'IMAGE REF', 'MAX', 'REV'],
          inv.components.map((c) => [`  ${c.id}`, c.image_ref, String(c.max_instances), String(c.revision)]),
        )
      : '  no components',
  );
  println(
    inv.providers.length
      ? renderTable(
          ['  PROVIDER ID', 'IMAGE REF'],
          inv.providers.map((p) => [`  ${p.id}`, p.image_ref ?? '']),
        )
      : '  no providers',
  );
}
