import { Option } from 'commander';
import type { Command } from 'commander';
import { EventType, MAX_INSTANCES_CEILING } from '../../../lattice/client.ts';
import type { CloudEvent, CtlClient } from '../../../lattice/index.ts';
import { sendAndAwait } from '../await-event.ts';
import { CliError, CliErrorCode } from '../errors.ts';
import { collect, parseKeyValues, requireIds, withCtl, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { emit, green, println } from '../output.ts';
import { resolveHost } from '../resolve-host.ts';
import { runCommand } from '../run-command.ts';

interface ScaleOptions extends LatticeCliOptions {
  max: number;
  count?: number;
  config: string[];
  annotation: string[];
  allowUpdate?: boolean;
  skipWait?: boolean;
  waitTimeoutMs: number;
  host?: string;
  constraint: string[];
}

/** `weft scale component`'s default `--max`: bounded (it was 4294967295), so one scale cannot ask for unbounded instances. */
const DEFAULT_MAX = 100;
const OUTCOME = [EventType.ComponentScaled, EventType.ComponentScaleFailed];

function withScaleOptions(cmd: Command, defaultMax: number): Command {
  return withLattice(cmd)
    .addOption(
      new Option('-c, --max <n>', `max concurrent instances on the host (hosts cap it at ${MAX_INSTANCES_CEILING})`)
        .default(defaultMax)
        .argParser(Number),
    )
    .addOption(new Option('--count <n>', 'alias of --max').argParser(Number).hideHelp())
    .option('--config <name>', 'named config to apply (repeatable)', collect, [])
    .option('--annotation <k=v>', 'annotation (repeatable)', collect, [])
    .option('--allow-update', 'update the component when it runs another ref')
    .option('--skip-wait', 'return once the host accepted the command')
    .addOption(
      new Option('--wait-timeout-ms <ms>', 'how long to wait for the outcome').default(60_000).argParser(Number),
    );
}

/** Sends a scale command and (unless --skip-wait) waits for its outcome event; throws on component_scale_failed. */
export async function scaleAndReport(
  ctl: CtlClient,
  hostId: string,
  ref: string,
  id: string,
  o: ScaleOptions,
  count: number,
): Promise<void> {
  const cmd = {
    component_ref: ref,
    component_id: id,
    host_id: hostId,
    count,
    config: o.config,
    annotations: parseKeyValues(o.annotation),
    allow_update: !!o.allowUpdate,
  };
  if (o.skipWait) {
    await ctl.scaleComponent(cmd);
    return emit(o.output, { success: true, accepted: true, ...cmd }, () =>
      println(`scale of ${id} on ${hostId} accepted`),
    );
  }
  const evt = await sendAndAwait(ctl, () => ctl.scaleComponent(cmd), {
    types: OUTCOME,
    match: (e) => e.data['component_id'] === id && e.data['host_id'] === hostId,
    timeoutMs: o.waitTimeoutMs,
    progress: `scaling ${id} (fetch, verify, transpile, instantiate)…`,
  });
  reportOutcome(evt, o);
}

function reportOutcome(evt: CloudEvent, o: LatticeCliOptions): void {
  const failed = evt.type.endsWith(EventType.ComponentScaleFailed);
  if (failed) {
    throw new CliError(
      CliErrorCode.Failed,
      `component ${String(evt.data['component_id'])} failed: ${String(evt.data['error'])}`,
    );
  }
  emit(o.output, { success: true, event: evt.type.replace('com.wasmcloud.lattice.', ''), ...evt.data }, () =>
    println(
      `${green('✔')} ${String(evt.data['component_id'])} (${String(evt.data['image_ref'])}) scaled to ${String(evt.data['max_instances'])} on ${String(evt.data['host_id'])}`,
    ),
  );
}

async function pickHost(ctl: CtlClient, o: ScaleOptions, ref: string, id: string): Promise<string> {
  if (o.host) return (await resolveHost(ctl, o.host)).id;
  const acks = await ctl.auctionComponent({
    component_ref: ref,
    component_id: id,
    constraints: parseKeyValues(o.constraint),
  });
  const first = acks[0];
  if (!first) {
    throw new CliError(
      CliErrorCode.Failed,
      `no host can run ${id} (none matches the constraints, or all run it already)`,
      'see `weft get hosts`; scale it with `weft scale component`',
    );
  }
  return first.host_id;
}

/** Hosts that currently run a component id. */
async function hostsRunning(ctl: CtlClient, id: string): Promise<{ hostId: string; ref: string }[]> {
  const hosts = await ctl.getHosts();
  const invs = await Promise.all(hosts.map((h) => ctl.getHostInventory(h.id)));
  return invs.flatMap((inv) =>
    inv.components.filter((c) => c.id === id).map((c) => ({ hostId: inv.host_id, ref: c.image_ref })),
  );
}

/** `weft start|scale|stop|update component`. */
export function registerComponentCommands(start: Command, stop: Command, scale: Command, update: Command): void {
  withScaleOptions(
    start
      .command('component')
      .argument('<ref>', 'nats://bucket/name:tag or file:///path.wasm')
      .argument('<id>', 'component id'),
    1,
  )
    .description('start a component on a host chosen by auction (or --host)')
    .option('--host <host>', 'host id, prefix or friendly name')
    .option('--constraint <k=v>', 'label the host must have (repeatable)', collect, [])
    .addHelpText(
      'after',
      '\nExamples:\n  weft start component nats://artifacts/adder:0.1.0 adder\n  weft start component file:///tmp/adder.wasm adder --max 4 --constraint zone=eu',
    )
    .action(
      runCommand(async (ref: string, id: string, o: ScaleOptions) => {
        requireIds({ '<id>': id, '--config': o.config });
        await withCtl(o, async (ctl) =>
          scaleAndReport(ctl, await pickHost(ctl, o, ref, id), ref, id, o, o.count ?? o.max),
        );
      }),
    );

  withScaleOptions(
    scale
      .command('component')
      .argument('<host>', 'host id, prefix or friendly name')
      .argument('<ref>')
      .argument('<id>'),
    DEFAULT_MAX,
  )
    .description('set how many instances of a component a host may run at once (0 stops it)')
    .addHelpText(
      'after',
      '\nExamples:\n  weft scale component NB3K nats://artifacts/adder:0.1.0 adder --max 10\n  weft scale component NB3K nats://artifacts/adder:0.1.0 adder --max 0',
    )
    .action(
      runCommand(async (hostRef: string, ref: string, id: string, o: ScaleOptions) => {
        requireIds({ '<id>': id, '--config': o.config });
        await withCtl(o, async (ctl) =>
          scaleAndReport(ctl, (await resolveHost(ctl, hostRef)).id, ref, id, o, o.count ?? o.max),
        );
      }),
    );

  withScaleOptions(stop.command('component').argument('<id>', 'component id'), 0)
    .description('stop a component on every host running it (or on --host)')
    .option('--host <host>', 'host id, prefix or friendly name')
    .action(
      runCommand(async (id: string, o: ScaleOptions) => {
        requireIds({ '<id>': id });
        await withCtl(o, async (ctl) => {
          let targets = await hostsRunning(ctl, id);
          if (o.host) {
            const h = await resolveHost(ctl, o.host);
            targets = targets.filter((t) => t.hostId === h.id);
          }
          if (!targets.length)
            throw new CliError(CliErrorCode.NotRunning, `component ${id} is not running`, 'see `weft get inventory`');
          for (const t of targets) await scaleAndReport(ctl, t.hostId, t.ref, id, o, 0);
        });
      }),
    );

  withScaleOptions(
    update.command('component').argument('<id>', 'component id').argument('<new-ref>', 'the new artifact'),
    0,
  )
    .description('live-update a running component to a new artifact without dropping in-flight calls')
    .option('--host <host>', 'only on this host')
    .action(
      runCommand(async (id: string, newRef: string, o: ScaleOptions) => {
        requireIds({ '<id>': id });
        await withCtl(o, async (ctl) => {
          let targets = await hostsRunning(ctl, id);
          if (o.host) {
            const h = await resolveHost(ctl, o.host);
            targets = targets.filter((t) => t.hostId === h.id);
          }
          if (!targets.length)
            throw new CliError(CliErrorCode.NotRunning, `component ${id} is not running`, 'see `weft get inventory`');
          for (const t of targets) {
            const cmd = {
              component_id: id,
              new_component_ref: newRef,
              host_id: t.hostId,
              annotations: parseKeyValues(o.annotation),
            };
            if (o.skipWait) await ctl.updateComponent(cmd);
            else {
              reportOutcome(
                await sendAndAwait(ctl, () => ctl.updateComponent(cmd), {
                  types: OUTCOME,
                  match: (e) => e.data['component_id'] === id && e.data['host_id'] === t.hostId,
                  timeoutMs: o.waitTimeoutMs,
                  progress: `updating ${id}…`,
                }),
                o,
              );
            }
          }
        });
      }),
    );
}
