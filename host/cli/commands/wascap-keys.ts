import type { Command } from 'commander';
import { CliError, CliErrorCode } from '../errors.ts';
import { withOutput } from '../options.ts';
import type { OutputFormat } from '../output.ts';
import { emit, println, renderTable } from '../output.ts';
import { runCommand } from '../run-command.ts';

/** wascap (nkeys), loaded when a `keys` command runs. */
const wascap = () => import('../../../lattice/wascap/index.ts');
/** The key types of wascap's KEY_TYPE_NAMES, for the help text (wascap-keys.test.ts keeps them equal). */
export const KEY_TYPES_HELP = 'account|component|module|provider|service|host|server|operator|cluster|user|curve';

/** `weft keys gen|get|list`: nkeys in `~/.weft/keys` (or `WEFT_KEYS_DIR`), files mode 0600. */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('create and read nkeys (issuers, components, providers, hosts…)');

  withOutput(keys.command('gen').argument('<type>', KEY_TYPES_HELP))
    .description('generate a key pair (printed, and saved with --save NAME)')
    .option('--save <name>', 'also save it in the keys folder under this name')
    .addHelpText('after', '\nExamples:\n  weft keys gen account --save my_account\n  weft keys gen component -o json')
    .action(
      runCommand(async (type: string, o: { output: OutputFormat; save?: string }) => {
        const { generateKey, saveKey, seedOf } = await wascap();
        const kp = generateKey(type);
        const path = o.save ? await saveKey(o.save, kp) : undefined;
        emit(o.output, { public_key: kp.getPublicKey(), seed: seedOf(kp), ...(path ? { path } : {}) }, () => {
          println(`Public Key: ${kp.getPublicKey()}`);
          println(`Seed: ${seedOf(kp)}`);
          if (path) println(`saved to ${path}`);
          println('');
          println('Remember that the seed is private, treat it as a secret.');
        });
      }),
    );

  withOutput(keys.command('get').argument('<name>', 'key name in the keys folder'))
    .description('show a saved key')
    .action(
      runCommand(async (name: string, o: { output: OutputFormat }) => {
        const { keysDir, loadKey, seedOf } = await wascap();
        const kp = await loadKey(name);
        if (!kp)
          throw new CliError(CliErrorCode.Usage, `no key "${name}" in ${keysDir()}`, 'list them with `weft keys list`');
        emit(o.output, { name, public_key: kp.getPublicKey(), seed: seedOf(kp) }, () => {
          println(`Public Key: ${kp.getPublicKey()}`);
          println(`Seed: ${seedOf(kp)}`);
        });
      }),
    );

  withOutput(keys.command('list'))
    .description('list saved keys (public keys only)')
    .action(
      runCommand(async (o: { output: OutputFormat }) => {
        const { keysDir, listKeys, loadKey } = await wascap();
        const names = await listKeys();
        const rows = await Promise.all(
          names.map(async (n) => ({ name: n, public_key: (await loadKey(n))?.getPublicKey() ?? '' })),
        );
        emit(o.output, { dir: keysDir(), keys: rows }, () =>
          println(
            rows.length
              ? renderTable(
                  ['NAME', 'PUBLIC KEY'],
                  rows.map((r) => [r.name, r.public_key]),
                )
              : `no keys in ${keysDir()}`,
          ),
        );
      }),
    );
}
