import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { connectNats } from '../../../lattice/client.ts';
import { CliError, CliErrorCode } from '../errors.ts';
import { weftHome } from '../home.ts';
import { collect, natsOptionsOf, requireIds, withCtl, withLattice, withNats } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { emit, green, println, renderTable } from '../output.ts';
import { runCommand } from '../run-command.ts';

interface SecretsOptions extends LatticeCliOptions {
  secretsTopic: string;
  backend: string;
}

const secrets = async () => import('../../../lattice/secrets/index.ts');

/** `--secrets-topic` and `--backend`, as wasmCloud names them. */
function withBackend(cmd: Command): Command {
  return withLattice(cmd)
    .addOption(
      new Option('--secrets-topic <topic>', 'secrets topic prefix')
        .default('wasmcloud.secrets')
        .env('WEFT_SECRETS_TOPIC'),
    )
    .addOption(new Option('--backend <name>', 'secrets backend name').default('weft').env('WEFT_SECRETS_BACKEND'));
}

/** The value of a put: `--from-file`, else all of stdin (never an argument: argv is visible in `ps` and shell history). */
async function readValue(fromFile: string | undefined): Promise<Buffer> {
  if (fromFile) return readFile(fromFile);
  if (process.stdin.isTTY)
    throw new CliError(
      CliErrorCode.Usage,
      'no value on stdin',
      'pipe it (`printf %s "$PW" | weft secrets put NAME …`) or use --from-file FILE',
    );
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** `weft secrets serve|put|list|del|ref`: the built-in secrets backend and its contents. */
export function registerSecretsCommand(program: Command): void {
  const cmd = program
    .command('secrets')
    .description('secrets: the built-in backend, its values and references to them');

  withBackend(cmd.command('serve'))
    .description('run the built-in secrets backend in the foreground (weft up runs one unless --no-secrets)')
    .addOption(new Option('--log-level <level>', 'log level').default('info'))
    .addHelpText(
      'after',
      '\nThe key that seals stored values: WEFT_SECRETS_XKEY_SEED, else ~/.weft/secrets/{backend}.xkey (made once).\n\nExample:\n  weft secrets serve --backend weft',
    )
    .action(
      runCommand(async (o: SecretsOptions & { logLevel: string }) => {
        const [{ createLogger }, { SecretsBackend, loadBackendXkey }] = await Promise.all([
          import('../../index.ts'),
          import('../../secrets/index.ts'),
        ]);
        const nc = await connectNats({ ...natsOptionsOf(o), persistent: true, name: 'weft-secrets' });
        const b = await SecretsBackend.start({
          nc,
          topic: o.secretsTopic,
          backend: o.backend,
          xkey: loadBackendXkey(join(weftHome(), 'secrets'), o.backend),
          logger: createLogger(o.logLevel),
        });
        println(`${green('✔')} secrets backend ${o.backend} serving ${o.secretsTopic} (Ctrl+C to stop)`);
        await new Promise<void>((r) => {
          process.once('SIGINT', () => r());
          process.once('SIGTERM', () => r());
        });
        await b.stop();
        await nc.drain();
      }),
    );

  withBackend(cmd.command('put').argument('<name>', 'secret name (the backend key)').argument('[value...]'))
    .description('store a new version of a secret, read from stdin or --from-file (never from the command line)')
    .requiredOption(
      '--allow <rule>',
      'who may read it, repeatable: component:ID, provider:ID, subject:KEY, issuer:KEY, cap:PKG',
      collect,
      [],
    )
    .option('--from-file <file>', 'read the value from this file')
    .option('--binary', 'store the bytes as a binary secret (default: UTF-8 text)')
    .addHelpText(
      'after',
      '\nExamples:\n  printf %s "$REDIS_PASSWORD" | weft secrets put redis-pw --allow provider:redis\n  weft secrets put tls-key --from-file key.pem --allow component:api --allow issuer:AB…',
    )
    .action(
      runCommand(
        async (
          name: string,
          value: string[],
          o: SecretsOptions & { allow: string[]; fromFile?: string; binary?: boolean },
        ) => {
          if (value.length)
            throw new CliError(
              CliErrorCode.Usage,
              'a secret value is never taken from the command line',
              'pipe it on stdin or use --from-file FILE',
            );
          if (!o.allow.length)
            throw new CliError(
              CliErrorCode.Usage,
              'give at least one --allow rule',
              'e.g. --allow component:my-component',
            );
          const bytes = await readValue(o.fromFile);
          const { putSecret } = await secrets();
          const v = o.binary ? new Uint8Array(bytes) : bytes.toString('utf8');
          const version = await withNats(o, (nc) =>
            putSecret(nc, { topic: o.secretsTopic, backend: o.backend }, { name, value: v, allow: o.allow }),
          );
          emit(o.output, { success: true, name, version }, () =>
            println(`secret ${name} stored as version ${version}`),
          );
        },
      ),
    );

  withBackend(cmd.command('list').alias('ls'))
    .description('list secrets: names, versions and allow rules (never values)')
    .action(
      runCommand(async (o: SecretsOptions) => {
        const { listSecrets } = await secrets();
        const rows = await withNats(o, (nc) => listSecrets(nc, { topic: o.secretsTopic, backend: o.backend }));
        emit(o.output, rows, () =>
          println(
            renderTable(
              ['NAME', 'VERSIONS', 'ALLOW'],
              rows.map((r) => [r.name, r.versions.map((v) => v.version).join(','), r.allow.join(' ')]),
            ),
          ),
        );
      }),
    );

  withBackend(cmd.command('del').alias('delete').argument('<name>', 'secret name'))
    .description('delete a secret (every version, or one with --version)')
    .option('--version <v>', 'delete only this version')
    .action(
      runCommand(async (name: string, o: SecretsOptions & { version?: string }) => {
        const { deleteSecret } = await secrets();
        const n = await withNats(o, (nc) =>
          deleteSecret(nc, { topic: o.secretsTopic, backend: o.backend }, name, o.version),
        );
        emit(o.output, { success: true, name, deleted: n }, () => println(`secret ${name}: ${n} version(s) deleted`));
      }),
    );

  withBackend(cmd.command('ref').argument('<name>', 'the name the component or provider reads it by'))
    .description('create the reference SECRET_{name} (a named config) to a secret of a backend')
    .requiredOption('--key <key>', 'the secret in the backend (weft secrets put KEY)')
    .option('--field <field>', 'a field of a JSON secret')
    .option('--secret-version <v>', 'pin a version (default: the latest)')
    .addHelpText(
      'after',
      '\nThen scale or link with --config SECRET_{name}.\n\nExample:\n  weft secrets ref password --key redis-pw',
    )
    .action(
      runCommand(async (name: string, o: SecretsOptions & { key: string; field?: string; secretVersion?: string }) => {
        requireIds({ '<name>': name });
        const { encodeSecretReference, SECRET_POLICY_PROPERTIES_TYPE } = await secrets();
        const policy = JSON.stringify({ type: SECRET_POLICY_PROPERTIES_TYPE, properties: {} });
        const values = encodeSecretReference({
          name,
          backend: o.backend,
          key: o.key,
          field: o.field,
          version: o.secretVersion,
          policy,
        });
        await withCtl(o, (ctl) => ctl.putConfig(`SECRET_${name}`, values));
        emit(o.output, { success: true, config: `SECRET_${name}`, reference: values }, () =>
          println(`SECRET_${name} refers to ${o.key} of backend ${o.backend}`),
        );
      }),
    );
}
