import type { Command } from 'commander';
import { EventType } from '../../../lattice/client.ts';
import { sendAndAwait } from '../await-event.ts';
import { CliError, CliErrorCode } from '../errors.ts';
import { collect, parseKeyValues, requireIds, withCtl, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { emit, green, println } from '../output.ts';
import { resolveHost } from '../resolve-host.ts';
import { runCommand } from '../run-command.ts';

interface ProviderOpts extends LatticeCliOptions {
  host?: string;
  config: string[];
  constraint: string[];
  skipWait?: boolean;
}

/** `weft start provider REF ID` and `weft stop provider ID`. */
export function registerProviderCommands(start: Command, stop: Command): void {
  withLattice(
    start
      .command('provider')
      .argument('<ref>', 'weft+builtin://http-server|keyvalue-nats|keyvalue-redis|messaging-nats|http-client')
      .argument('<id>', 'provider id'),
  )
    .description('start a capability provider on a host (chosen by auction, or --host)')
    .option('--host <host>', 'host id, prefix or friendly name')
    .option('--config <name>', 'named config for the provider (repeatable)', collect, [])
    .option('--constraint <k=v>', 'label the host must have (repeatable)', collect, [])
    .option('--skip-wait', 'do not wait for provider_started')
    .addHelpText(
      'after',
      '\nExamples:\n  weft start provider weft+builtin://http-server http\n  weft start provider weft+builtin://keyvalue-nats kv',
    )
    .action(
      runCommand(async (ref: string, id: string, o: ProviderOpts) => {
        requireIds({ '<id>': id, '--config': o.config });
        await withCtl(o, async (ctl) => {
          let hostId: string;
          if (o.host) hostId = (await resolveHost(ctl, o.host)).id;
          else {
            const constraints = parseKeyValues(o.constraint, 'e.g. --constraint zone=eu');
            const acks = await ctl.auctionProvider({ provider_ref: ref, provider_id: id, constraints });
            const first = acks[0]?.host_id;
            if (!first)
              throw new CliError(
                CliErrorCode.Failed,
                `no host can run provider ${id} (constraints, or it runs everywhere already)`,
                'see `weft get inventory`',
              );
            hostId = first;
          }
          const cmd = { provider_id: id, provider_ref: ref, host_id: hostId, config: o.config };
          if (o.skipWait) {
            await ctl.startProvider(cmd);
            return emit(o.output, { success: true, accepted: true, ...cmd }, () =>
              println(`start of ${id} on ${hostId} accepted`),
            );
          }
          const evt = await sendAndAwait(ctl, () => ctl.startProvider(cmd), {
            types: [EventType.ProviderStarted, EventType.ProviderStartFailed],
            match: (e) => e.data['provider_id'] === id && e.data['host_id'] === hostId,
            timeoutMs: 30_000,
            progress: `starting provider ${id}…`,
          });
          if (evt.type.endsWith('failed'))
            throw new CliError(CliErrorCode.Failed, `provider ${id} failed to start: ${String(evt.data['error'])}`);
          emit(o.output, { success: true, ...evt.data }, () =>
            println(`${green('✔')} provider ${id} (${ref}) started on ${hostId}`),
          );
        });
      }),
    );

  withLattice(stop.command('provider').argument('<id>', 'provider id'))
    .description('stop a provider on every host running it (or on --host)')
    .option('--host <host>', 'host id, prefix or friendly name')
    .action(
      runCommand(async (id: string, o: ProviderOpts) => {
        requireIds({ '<id>': id });
        await withCtl(o, async (ctl) => {
          const hosts = o.host ? [await resolveHost(ctl, o.host)] : await ctl.getHosts();
          let stopped = 0;
          for (const h of hosts) {
            const inv = await ctl.getHostInventory(h.id);
            if (!inv.providers.some((p) => p.id === id)) continue;
            await sendAndAwait(ctl, () => ctl.stopProvider({ host_id: h.id, provider_id: id }), {
              types: [EventType.ProviderStopped],
              match: (e) => e.data['provider_id'] === id && e.data['host_id'] === h.id,
              timeoutMs: 15_000,
            });
            stopped++;
          }
          if (!stopped)
            throw new CliError(CliErrorCode.NotRunning, `provider ${id} is not running`, 'see `weft get inventory`');
          emit(o.output, { success: true, provider_id: id, hosts: stopped }, () =>
            println(`${green('✔')} provider ${id} stopped on ${stopped} host(s)`),
          );
        });
      }),
    );
}
