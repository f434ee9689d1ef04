import type { Command } from 'commander';
import { CliError, CliErrorCode } from '../errors.ts';
import { withOutput } from '../options.ts';
import type { OutputFormat } from '../output.ts';
import { emit, green, println } from '../output.ts';
import { credentialsFor, registryKey, removeCredentials, saveCredentials, storedRegistries } from '../registry-auth.ts';
import type { StoredCredential } from '../registry-auth.ts';
import { runCommand } from '../run-command.ts';

interface LoginOpts {
  output: OutputFormat;
  username?: string;
  password?: string;
  passwordStdin?: boolean;
  token?: string;
  verify: boolean;
  allowInsecureRegistries?: string[];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** `weft reg login|logout|list`: credentials for OCI registries, stored 0600 under the weft home. */
export function registerRegCommand(program: Command): void {
  const reg = program.command('reg').description('OCI registry credentials (for weft push/pull of registry refs)');

  withOutput(reg.command('login').argument('<registry>', 'registry host[:port], e.g. ghcr.io or localhost:5000'))
    .description('check and store credentials for a registry (file mode 0600; never printed)')
    .option('-u, --username <user>', 'user name')
    .option(
      '-p, --password <password>',
      'password or access token (visible in the process list: prefer --password-stdin)',
    )
    .option('--password-stdin', 'read the password from stdin')
    .option('--token <token>', 'a registry token sent as Bearer as is')
    .option('--no-verify', 'store without checking them against the registry')
    .option(
      '--allow-insecure-registries <host...>',
      'registries that may be reached over plain HTTP (localhost is always allowed)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  echo "$GITHUB_TOKEN" | weft reg login ghcr.io -u me --password-stdin\n  weft reg login localhost:5000 -u weft -p secret',
    )
    .action(
      runCommand(async (registry: string, o: LoginOpts) => {
        const password = o.passwordStdin ? await readStdin() : (o.password ?? process.env['WEFT_REGISTRY_PASSWORD']);
        const cred: StoredCredential = o.token
          ? { token: o.token }
          : { ...(o.username ? { username: o.username } : {}), ...(password !== undefined ? { password } : {}) };
        if (!cred.token && (!cred.username || cred.password === undefined)) {
          throw new CliError(
            CliErrorCode.Usage,
            'weft reg login needs --username and a password (--password-stdin, --password or WEFT_REGISTRY_PASSWORD), or --token',
          );
        }
        const key = registryKey(registry);
        if (o.verify) {
          const { OciClient } = await import('../../../lattice/oci/index.ts');
          await new OciClient({
            credentials: () => cred,
            ...(o.allowInsecureRegistries ? { allowInsecure: o.allowInsecureRegistries } : {}),
          }).checkLogin(key);
        }
        const file = await saveCredentials(key, cred);
        emit(o.output, { success: true, registry: key, verified: o.verify, file }, () =>
          println(`${green('✔')} credentials for ${key} ${o.verify ? 'accepted and ' : ''}stored in ${file}`),
        );
      }),
    );

  withOutput(reg.command('logout').argument('<registry>'))
    .description('forget the stored credentials of a registry')
    .action(
      runCommand(async (registry: string, o: { output: OutputFormat }) => {
        const removed = await removeCredentials(registry);
        emit(o.output, { success: true, registry: registryKey(registry), removed }, () =>
          println(
            removed
              ? `removed the credentials of ${registryKey(registry)}`
              : `no stored credentials for ${registryKey(registry)}`,
          ),
        );
      }),
    );

  withOutput(reg.command('list'))
    .description('registries with stored credentials (names only)')
    .action(
      runCommand(async (o: { output: OutputFormat }) => {
        const names = storedRegistries();
        emit(
          o.output,
          {
            success: true,
            registries: names.map((r) => ({ registry: r, kind: credentialsFor(r)?.token ? 'token' : 'basic' })),
          },
          () => println(names.length ? names.join('\n') : 'no registries; add one with `weft reg login REGISTRY`'),
        );
      }),
    );
}
