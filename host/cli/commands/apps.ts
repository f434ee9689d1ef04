import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { LatticeError, LatticeErrorCode } from '../../../lattice/client.ts';
import type { WadmClient } from '../../../lattice/apps/index.ts';
import { CliError, CliErrorCode } from '../errors.ts';
import { requireIds, withLattice, withNats } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { emit, green, printJson, println, red, renderTable } from '../output.ts';
import { runCommand } from '../run-command.ts';

/** The manifest parser (yaml) and the wadm client, loaded when an `app` command runs. */
const apps = () => import('../../../lattice/apps/index.ts');

/** Runs `fn` with a wadm API client on a fresh connection (controllers answer slower than hosts: 5 s). */
async function withWadm<T>(o: LatticeCliOptions, fn: (wadm: WadmClient) => Promise<T>): Promise<T> {
  const { WadmClient } = await apps();
  return withNats(o, (nc) => fn(new WadmClient(nc, { lattice: o.lattice, timeoutMs: Math.max(o.timeoutMs, 5000) })));
}

async function manifestText(fileOrName: string): Promise<string | undefined> {
  return existsSync(fileOrName) ? readFile(fileOrName, 'utf8') : undefined;
}

/** `weft app put|deploy|undeploy|delete|list|get|status|history|validate`: wadm-compatible applications. */
export function registerAppCommand(program: Command): void {
  const app = program.command('app').description('declarative applications (wadm-compatible OAM manifests)');

  withLattice(app.command('validate').argument('<file>', 'manifest (YAML or JSON)'))
    .description('check a manifest; every problem is reported with its path and line')
    .action(
      runCommand(async (file: string, o: LatticeCliOptions) => {
        const { problems, manifest } = (await apps()).parseManifest(await readFile(file, 'utf8'));
        emit(o.output, { valid: problems.length === 0, problems, name: manifest?.metadata.name }, () => {
          if (!problems.length)
            return println(`${green('✔')} ${file} is a valid application (${manifest?.metadata.name})`);
          for (const p of problems)
            println(`${red('✗')} ${p.path || '(document)'}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`);
        });
        if (problems.length) process.exitCode = 1;
      }),
    );

  withLattice(app.command('put').argument('<file>', 'manifest'))
    .description('store a new version of an application')
    .action(
      runCommand(async (file: string, o: LatticeCliOptions) => {
        const text = await readFile(file, 'utf8');
        const r = await withWadm(o, (wadm) => wadm.put(text));
        emit(o.output, r, () =>
          println(
            `${green('✔')} ${String(r['name'])} ${String(r['current_version'])} stored (${String(r['total_versions'])} versions)`,
          ),
        );
      }),
    );

  withLattice(
    app
      .command('deploy')
      .argument('<file-or-name>', 'manifest file (put first) or stored application name')
      .argument('[version]'),
  )
    .description('deploy an application (a file is stored first, like wash app deploy)')
    .addHelpText('after', '\nExamples:\n  weft app deploy hello-world.yaml\n  weft app deploy hello-world v0.0.1')
    .action(
      runCommand(async (ref: string, version: string | undefined, o: LatticeCliOptions) => {
        const r = await withWadm(o, async (wadm) => {
          let name = ref;
          const text = await manifestText(ref);
          if (text) {
            const { manifest, problems } = (await apps()).parseManifest(text);
            if (!manifest)
              throw new CliError(
                CliErrorCode.Usage,
                `invalid manifest: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
                `run \`weft app validate ${ref}\``,
              );
            name = manifest.metadata.name;
            // a version already stored is refused by put: deploy it anyway (wash app deploy does the same)
            await wadm.put(text).catch((err: unknown) => {
              if (!(err instanceof LatticeError && err.code === LatticeErrorCode.Refused)) throw err;
            });
          }
          return wadm.deploy(name, version);
        });
        emit(o.output, r, () =>
          println(`${green('✔')} ${String(r['message'])} (follow with \`weft app status ${String(r['name'])}\`)`),
        );
      }),
    );

  for (const [op, desc] of [
    ['undeploy', 'stop an application (its components, providers and links are removed)'],
    ['delete', 'delete an application and all its versions'],
  ] as const) {
    withLattice(app.command(op).argument('<name>'))
      .description(desc)
      .action(
        runCommand(async (name: string, o: LatticeCliOptions) => {
          requireIds({ '<name>': name });
          const r = await withWadm(o, (wadm) => (op === 'delete' ? wadm.delete(name) : wadm.undeploy(name)));
          emit(o.output, r, () => println(String(r.message)));
        }),
      );
  }

  withLattice(app.command('list'))
    .description('list applications with their deployed version and status')
    .action(
      runCommand(async (o: LatticeCliOptions) => {
        const models = await withWadm(o, (wadm) => wadm.list());
        emit(o.output, { result: 'success', message: '', models }, () =>
          println(
            models.length
              ? renderTable(
                  ['NAME', 'LATEST', 'DEPLOYED', 'STATUS', 'MESSAGE'],
                  models.map((m) => [
                    String(m.name ?? ''),
                    String(m.version ?? ''),
                    String(m.deployed_version ?? '-'),
                    String(m.status ?? ''),
                    String(m.status_message ?? ''),
                  ]),
                )
              : 'no applications',
          ),
        );
      }),
    );

  withLattice(app.command('get').argument('<name>').argument('[version]'))
    .description('show a stored manifest')
    .action(
      runCommand(async (name: string, version: string | undefined, o: LatticeCliOptions) => {
        requireIds({ '<name>': name });
        const r = await withWadm(o, (wadm) => wadm.get(name, version));
        printJson(o.output === 'json' ? r : r.manifest);
      }),
    );

  withLattice(app.command('status').argument('<name>'))
    .description('show an application status (deployed, reconciling, failed…)')
    .action(
      runCommand(async (name: string, o: LatticeCliOptions) => {
        requireIds({ '<name>': name });
        const r = await withWadm(o, (wadm) => wadm.status(name));
        const s = r.status;
        emit(o.output, r, () =>
          println(
            `${name} ${s.version || '(not deployed)'}: ${s.status.type}${s.status.message ? ` (${s.status.message})` : ''}`,
          ),
        );
      }),
    );

  withLattice(app.command('history').argument('<name>'))
    .description('list the stored versions of an application')
    .action(
      runCommand(async (name: string, o: LatticeCliOptions) => {
        requireIds({ '<name>': name });
        const r = await withWadm(o, (wadm) => wadm.versions(name));
        const v = r.versions;
        emit(o.output, r, () =>
          println(
            renderTable(
              ['VERSION', 'DEPLOYED', 'CREATED'],
              v.map((x) => [x.version, x.deployed ? 'yes' : '', x.created_at]),
            ),
          ),
        );
      }),
    );
}
