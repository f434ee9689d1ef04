import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import type { KeyPair } from '@nats-io/nkeys';
import type { Inspection } from '../../../lattice/wascap/index.ts';
import { CliError, CliErrorCode } from '../errors.ts';
import { collect, withOutput } from '../options.ts';
import type { OutputFormat } from '../output.ts';
import { emit, green, println, red, renderTable } from '../output.ts';
import { runCommand } from '../run-command.ts';

interface SignOpts {
  output: OutputFormat;
  name?: string;
  ver?: string;
  rev?: number;
  tag: string[];
  cap: string[];
  callAlias?: string;
  issuer?: string;
  subject?: string;
  expires?: number;
  nbf?: number;
  destination?: string;
}

const stem = (file: string): string =>
  basename(file)
    .replace(/\.wasm$/, '')
    .replace(/[^A-Za-z0-9_-]/g, '_');

/** wascap (nkeys, claims), loaded when a `claims` command runs. */
const wascap = () => import('../../../lattice/wascap/index.ts');

async function keyOrNew(given: string | undefined, type: string, saveAs: string, notes: string[]): Promise<KeyPair> {
  const { generateKey, resolveKey, saveKey } = await wascap();
  if (given) {
    const kp = await resolveKey(given);
    if (!kp)
      throw new CliError(
        CliErrorCode.Usage,
        `"${given}" is neither a seed nor a saved key name`,
        'see `weft keys list`',
      );
    return kp;
  }
  const existing = await resolveKey(saveAs);
  if (existing) return existing;
  const kp = generateKey(type);
  notes.push(`generated ${type} key ${kp.getPublicKey()} and saved it to ${await saveKey(saveAs, kp)}`);
  return kp;
}

/** Flattens an inspection for JSON and tables. */
export function inspectionView(file: string, i: Inspection) {
  const c = i.claims;
  const at = (s?: number): string => (s === undefined ? 'never' : new Date(s * 1000).toISOString());
  return {
    file,
    issuer: c.iss,
    subject: c.sub,
    name: c.wascap.name ?? '',
    version: c.wascap.ver ?? '',
    revision: c.wascap.rev ?? 0,
    tags: c.wascap.tags ?? [],
    /** null: no caps claim (unrestricted); [] denies every capability. */
    caps: c.wascap.caps ?? null,
    call_alias: c.wascap.call_alias ?? '',
    issued: at(c.iat),
    expires: at(c.exp),
    not_before: c.nbf === undefined ? 'immediately' : at(c.nbf),
    hash: c.wascap.hash,
    computed_hash: i.hash,
    wascap_revision: c.wascap_revision ?? 0,
    signature_valid: i.signatureValid,
    key_roles_valid: i.keyRolesValid,
    hash_valid: i.hashValid,
    expired: i.expired,
    not_yet_valid: i.notYetValid,
    valid: i.signatureValid && i.keyRolesValid && i.hashValid && !i.expired && !i.notYetValid,
  };
}

/** `weft claims sign|inspect`. */
export function registerClaimsCommand(program: Command): void {
  const claims = program.command('claims').description('sign components with wascap claims and inspect them');

  withOutput(claims.command('sign').argument('<file>', 'a .wasm component or module'))
    .description('embed signed claims (wasmcloud_jwt section); generates issuer/subject keys when not given')
    .option('--name <name>', 'component name')
    .option('--ver <version>', 'version', '0.1.0')
    .addOption(new Option('--rev <n>', 'revision').argParser(Number))
    .option('--tag <tag>', 'tag (repeatable)', collect, [])
    .option(
      '--cap <interface>',
      'capability it may use, e.g. wasi:keyvalue (repeatable; none given: unrestricted)',
      collect,
      [],
    )
    .option('--call-alias <alias>', 'call alias')
    .option('--issuer <seed-or-key-name>', 'issuer (account) key')
    .option('--subject <seed-or-key-name>', 'subject (component) key')
    .addOption(new Option('--expires <days>', 'valid for this many days').argParser(Number))
    .addOption(new Option('--nbf <days>', 'not valid before this many days from now').argParser(Number))
    .option('-d, --destination <file>', 'output file (default: FILE with _s.wasm)')
    .addHelpText(
      'after',
      '\nExamples:\n  weft claims sign adder.wasm --name adder --cap wasi:keyvalue\n  weft claims sign build/app.wasm --issuer my_account -d app.signed.wasm',
    )
    .action(
      runCommand(async (file: string, o: SignOpts) => {
        const bytes = new Uint8Array(await readFile(file));
        const notes: string[] = [];
        const issuer = await keyOrNew(o.issuer, 'account', 'default_account', notes);
        const subject = await keyOrNew(o.subject, 'component', `${stem(file)}_module`, notes);
        if (!issuer.getPublicKey().startsWith('A'))
          throw new CliError(
            CliErrorCode.Usage,
            'the issuer must be an account key (A…)',
            'weft keys gen account --save my_account',
          );
        const signed = (await wascap()).signComponent(bytes, {
          issuer,
          subject,
          name: o.name ?? stem(file),
          ver: o.ver,
          rev: o.rev,
          tags: o.tag,
          caps: o.cap.length ? o.cap : undefined,
          callAlias: o.callAlias,
          expiresInDays: o.expires,
          notBeforeDays: o.nbf,
        });
        const dest = o.destination ?? file.replace(/\.wasm$/, '') + '_s.wasm';
        await writeFile(dest, signed.bytes);
        emit(
          o.output,
          {
            success: true,
            destination: dest,
            issuer: signed.claims.iss,
            subject: signed.claims.sub,
            hash: signed.claims.wascap.hash,
            notes,
          },
          () => {
            for (const n of notes) println(n);
            println(
              `${green('✔')} signed ${file} → ${dest} (issuer ${signed.claims.iss}, subject ${signed.claims.sub})`,
            );
          },
        );
      }),
    );

  withOutput(claims.command('inspect').argument('<file>', 'a .wasm component or module'))
    .description('show the embedded claims and whether signature and hash are valid')
    .addHelpText(
      'after',
      '\nExamples:\n  weft claims inspect echo_messaging.wasm\n  weft claims inspect adder_s.wasm -o json',
    )
    .action(
      runCommand(async (file: string, o: { output: OutputFormat }) => {
        const i = (await wascap()).inspectComponent(new Uint8Array(await readFile(file)));
        if (!i)
          throw new CliError(
            CliErrorCode.Failed,
            `${file} carries no claims`,
            `sign it with \`weft claims sign ${file}\``,
          );
        const v = inspectionView(file, i);
        emit(o.output, v, () => {
          const ok = (b: boolean, yes: string, no: string): string => (b ? green(yes) : red(no));
          println(`${v.name} (${file})`);
          println(
            renderTable(
              ['FIELD', 'VALUE'],
              [
                ['Issuer', v.issuer],
                ['Subject', v.subject],
                ['Version', `${v.version} (revision ${v.revision})`],
                ['Tags', v.tags.join(', ') || 'none'],
                [
                  'Capabilities',
                  v.caps === null ? 'unrestricted (no caps claim)' : v.caps.join(', ') || 'none (deny-all)',
                ],
                ['Issued', v.issued],
                ['Expires', v.expires],
                ['Not before', v.not_before],
                ['Hash', v.hash],
                ['Signature', ok(v.signature_valid, 'valid', 'INVALID (the token was altered)')],
                [
                  'Key roles',
                  ok(
                    v.key_roles_valid,
                    'valid',
                    'INVALID (issuer must be an account key A…, subject a component key M…)',
                  ),
                ],
                ['Hash check', ok(v.hash_valid, 'valid', `MISMATCH (code hashes to ${v.computed_hash})`)],
                ['Validity', ok(!v.expired && !v.not_yet_valid, 'current', v.expired ? 'EXPIRED' : 'NOT YET VALID')],
              ],
            ),
          );
        });
        if (!v.valid) process.exitCode = 1;
      }),
    );
}
