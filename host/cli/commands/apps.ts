import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CtlClient } from '../../../lattice/index.ts';
import { CliError, CliErrorCode } from '../errors.ts';
import { requireIds, withCtl, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { emit, green, printJson, println, red, renderTable } from '../output.ts';
import { runCommand } from '../run-command.ts';

type Reply = Record<string, unknown> & { result?: string; message?: string };

/** The manifest parser (yaml) and wadm subjects, loaded when an `app` command runs. */
const apps = () => import('../../../lattice/apps/index.ts');

async function api(ctl: CtlClient, op: string, name?: string, body = ''): Promise<Reply> {
  const { wadmSubject } = await apps();
  try {
    return (await ctl.nc.request(wadmSubject.api(ctl.lattice, op, name), body, { timeout: 5000 })).json<Reply>();
  } catch (err) {
    throw new CliError(
      CliErrorCode.Failed,
      `no controller answered on the wadm API (${(err as Error).message})`,
      'start one with `weft up` (it runs a controller) or `weft controller`',
    );
  }
}

function check(r: Reply, ok: string[]): Reply {
  if (!ok.includes(String(r.result)))
    throw new CliError(
      CliErrorCode.Failed,
      String(r.message || r.result),
      r.result === 'notfound' ? 'list applications with `weft app list`' : undefined,
    );
  return r;
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
        const r = check(await withCtl(o, async (ctl) => api(ctl, 'put', undefined, await readFile(file, 'utf8'))), [
          'created',
          'newversion',
        ]);
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
        const r = await withCtl(o, async (ctl) => {
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
            check(await api(ctl, 'put', undefined, text), ['created', 'newversion', 'error']);
          }
          return check(await api(ctl, 'deploy', name, version ? JSON.stringify({ version }) : ''), ['acknowledged']);
        });
        emit(o.output, r, () =>
          println(`${green('✔')} ${String(r['message'])} (follow with \`weft app status ${String(r['name'])}\`)`),
        );
      }),
    );

  for (const [op, desc, ok] of [
    ['undeploy', 'stop an application (its components, providers and links are removed)', ['acknowledged']],
    ['delete', 'delete an application and all its versions', ['deleted', 'noop']],
  ] as const) {
    withLattice(app.command(op).argument('<name>'))
      .description(desc)
      .action(
        runCommand(async (name: string, o: LatticeCliOptions) => {
          requireIds({ '<name>': name });
          const r = check(await withCtl(o, (ctl) => api(ctl, op === 'delete' ? 'del' : op, name)), [...ok]);
          emit(o.output, r, () => println(String(r.message)));
        }),
      );
  }

  withLattice(app.command('list'))
    .description('list applications with their deployed version and status')
    .action(
      runCommand(async (o: LatticeCliOptions) => {
        const r = check(await withCtl(o, (ctl) => api(ctl, 'list')), ['success']);
        const models = (r['models'] as Record<string, string>[]) ?? [];
        emit(o.output, r, () =>
          println(
            models.length
              ? renderTable(
                  ['NAME', 'LATEST', 'DEPLOYED', 'STATUS', 'MESSAGE'],
                  models.map((m) => [
                    m['name'] ?? '',
                    m['version'] ?? '',
                    m['deployed_version'] ?? '-',
                    m['status'] ?? '',
                    m['status_message'] ?? '',
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
        const r = check(await withCtl(o, (ctl) => api(ctl, 'get', name, version ? JSON.stringify({ version }) : '')), [
          'success',
        ]);
        printJson(o.output === 'json' ? r : r['manifest']);
      }),
    );

  withLattice(app.command('status').argument('<name>'))
    .description('show an application status (deployed, reconciling, failed…)')
    .action(
      runCommand(async (name: string, o: LatticeCliOptions) => {
        const r = check(await withCtl(o, (ctl) => api(ctl, 'status', name)), ['ok']);
        const s = r['status'] as { version: string; status: { type: string; message: string } };
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
        const r = check(await withCtl(o, (ctl) => api(ctl, 'versions', name)), ['success']);
        const v = (r['versions'] as { version: string; deployed: boolean; created_at: string }[]) ?? [];
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
