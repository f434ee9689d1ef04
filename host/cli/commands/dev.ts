import { watch } from 'node:fs';
import { resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { connectNats, CtlClient, EventType } from '../../../lattice/client.ts';
import { sendAndAwait } from '../await-event.ts';
import { buildActor } from '../toolchain/build-actor.ts';
import { worldImportedPackages } from '../toolchain/world-caps.ts';
import { CliError, CliErrorCode } from '../errors.ts';
import { natsOptionsOf, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { dim, green, println, red } from '../output.ts';
import { soleHost } from '../resolve-host.ts';
import { runCommand } from '../run-command.ts';

async function signed(dir: string): Promise<{ bytes: Uint8Array; name: string }> {
  const { bytes, config } = await buildActor(dir);
  const { generateKey, resolveKey, saveKey, signComponent } = await import('../../../lattice/wascap/index.ts');
  const issuer =
    (await resolveKey('default_account')) ??
    (await (async () => {
      const k = generateKey('account');
      await saveKey('default_account', k);
      return k;
    })());
  const subject = (await resolveKey(`${config.name}_component`)) ?? generateKey('component');
  await saveKey(`${config.name}_component`, subject);
  // caps: the packages the world imports, as `weft build` signs by default
  const caps = await worldImportedPackages(dir, config);
  return { bytes: signComponent(bytes, { issuer, subject, name: config.name, caps }).bytes, name: config.name };
}

/** `weft dev [DIR]`: build, run on the local lattice, rebuild and live-update on every save (like `wash dev`). */
export function registerDevCommand(program: Command): void {
  withLattice(program.command('dev').argument('[dir]', 'actor folder with weft.json', '.'))
    .description('build the actor, run it on the lattice, and rebuild + live-update it on every save (Ctrl+C stops it)')
    .addOption(new Option('--max <n>', 'max instances').default(4).argParser(Number))
    .addHelpText('after', '\nExamples:\n  weft up -d && cd counter && weft dev')
    .action(
      runCommand(async (dir: string, o: LatticeCliOptions & { max: number }) => {
        const abs = resolve(dir);
        const { NatsArtifactStore } = await import('../../../lattice/index.ts'); // JetStream Object Store
        const nc = await connectNats({ ...natsOptionsOf(o), persistent: true });
        const ctl = new CtlClient(nc, { lattice: o.lattice, timeoutMs: o.timeoutMs });
        const store = new NatsArtifactStore(nc);
        const host = await soleHost(ctl);
        let id = '';
        let running = false;
        const deploy = async (): Promise<void> => {
          const t0 = performance.now();
          const { bytes, name } = await signed(abs);
          id = name;
          const tag = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
          const ref = `nats://weft-dev/${name}:${tag}`;
          await store.push({ bucket: 'weft-dev', name, tag }, bytes);
          const evt = await sendAndAwait(
            ctl,
            () =>
              running
                ? ctl.updateComponent({ component_id: name, new_component_ref: ref, host_id: host.id })
                : ctl.scaleComponent({
                    component_id: name,
                    component_ref: ref,
                    host_id: host.id,
                    count: o.max,
                    config: [],
                  }),
            {
              types: [EventType.ComponentScaled, EventType.ComponentScaleFailed],
              match: (e) => e.data['component_id'] === name,
              timeoutMs: 60_000,
            },
          );
          if (evt.type.endsWith('failed'))
            throw new CliError(CliErrorCode.Failed, `${name}: ${String(evt.data['error'])}`);
          println(
            `${green('✔')} ${running ? 'updated' : 'started'} ${name} (${ref}) on ${host.friendly_name} in ${Math.round(performance.now() - t0)} ms`,
          );
          running = true;
        };
        await deploy();
        println(dim(`watching ${abs} — save a file to rebuild; link it with \`weft link put …\`; Ctrl+C to stop`));
        let timer: NodeJS.Timeout | undefined;
        let busy = Promise.resolve();
        const watcher = watch(abs, { recursive: true }, (_e, file) => {
          if (!file || String(file).startsWith('build') || String(file).includes('node_modules')) return;
          clearTimeout(timer);
          timer = setTimeout(() => {
            busy = busy.then(() => deploy().catch((err: unknown) => println(`${red('✗')} ${(err as Error).message}`)));
          }, 300);
        });
        await new Promise<void>((r) => {
          process.once('SIGINT', () => r());
          process.once('SIGTERM', () => r());
        });
        watcher.close();
        await busy;
        if (running)
          await ctl.scaleComponent({
            component_id: id,
            component_ref: `nats://weft-dev/${id}:stop`,
            host_id: host.id,
            count: 0,
          });
        println(`stopped ${id}`);
        await nc.drain();
      }),
    );
}
