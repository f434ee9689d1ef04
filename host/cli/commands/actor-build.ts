import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { KeyPair } from '@nats-io/nkeys';
import { Option } from 'commander';
import { buildActor, readActorConfig } from '../toolchain/build-actor.ts';
import type { ActorConfig } from '../toolchain/build-actor.ts';
import { bytesHash, upToDate, writeStamp } from '../toolchain/build-stamp.ts';
import type { StampedResult, StampOptions } from '../toolchain/build-stamp.ts';
import { refreshWitTypes } from '../toolchain/wit-types.ts';
import { ENGINE_LABEL, ENGINES, parseEngine } from '../toolchain/engines.ts';
import type { Engine } from '../toolchain/engines.ts';
import { packagesImported } from '../toolchain/world-caps.ts';
import { collect, withOutput } from '../options.ts';
import type { OutputFormat } from '../output.ts';
import { dim, emit, green, println } from '../output.ts';
import { runCommand } from '../run-command.ts';

interface BuildOpts {
  output: OutputFormat;
  issuer?: string;
  cap: string[];
  unsigned?: boolean;
  engine?: string;
}
/** wascap (nkeys, claims), loaded when a build signs. */
const wascap = () => import('../../../lattice/wascap/index.ts');

async function keyFor(name: string, type: string, given?: string): Promise<{ kp: KeyPair; note?: string }> {
  const { generateKey, resolveKey, saveKey } = await wascap();
  const found = await resolveKey(given ?? name);
  if (found) return { kp: found };
  const kp = generateKey(type);
  return { kp, note: `generated ${type} key ${kp.getPublicKey()} in ${await saveKey(given ?? name, kp)}` };
}

/** `weft build [DIR]`: JS/TS actor → component (QuickJS or StarlingMonkey), signed with wascap claims. */
export function registerBuildCommand(program: Command): void {
  withOutput(program.command('build').argument('[dir]', 'actor folder with weft.json', '.'))
    .description('build an actor into a signed Wasm component at build/<name>.wasm')
    .option(
      '--issuer <seed-or-key-name>',
      'issuer (account) key; default: the saved key "default_account", created when missing',
    )
    .option(
      '--cap <interface>',
      'capability the claims allow, e.g. wasi:keyvalue (repeatable; default: the packages the world imports)',
      collect,
      [],
    )
    .option('--unsigned', 'do not sign (hosts then need --allow-unsigned)')
    .addOption(
      new Option('--engine <engine>', 'JS engine in the component (default: weft.json "engine", else quickjs)').choices(
        ENGINES,
      ),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  weft build\n  weft build --engine starlingmonkey   # the full web platform (fetch, streams), 12 MB\n  weft build actors/kv-counter --cap wasi:keyvalue --cap wasi:http',
    )
    .action(runCommand(build));
}

/** The key files signing reads: the issuer's (unless given as a seed) and the component's. */
function keyFiles(name: string, issuer?: string): string[] {
  // mirrors keysDir() of lattice/wascap, not imported here: it loads nkeys, which an up-to-date build never needs
  const dir = process.env['WEFT_KEYS_DIR'] ?? join(homedir(), '.weft', 'keys');
  const names = [`${name}_component`, ...(issuer && /^S[A-Z]/.test(issuer) ? [] : [issuer ?? 'default_account'])];
  return names.map((n) => join(dir, `${n}.nk`));
}

async function build(dir: string, o: BuildOpts): Promise<void> {
  const abs = resolve(dir);
  const t0 = performance.now();
  const engine: Engine | undefined = o.engine ? parseEngine(o.engine, '--engine') : undefined;
  const config = await readActorConfig(abs);
  const dest = join(abs, 'build', `${config.name}.wasm`);
  const stampOpts: StampOptions = {
    engine,
    caps: o.cap,
    unsigned: !!o.unsigned,
    issuer: o.issuer,
    keyFiles: o.unsigned ? [] : keyFiles(config.name, o.issuer),
  };
  const hit = await upToDate(abs, stampOpts);
  if (hit) return report(o, config, { ...hit, cached: true, upToDate: true, notes: [], ms: since(t0) });
  if (process.stderr.isTTY && o.output !== 'json') process.stderr.write(dim('building…\n'));
  const notes: string[] = [];
  if (await refreshWitTypes(abs, config)) notes.push(`wrote the TypeScript types of world ${config.world}`);
  const built = await buildActor(abs, { engine });
  let out = built.bytes;
  let subject: string | undefined;
  let caps: string[] | undefined;
  if (!o.unsigned) {
    caps = o.cap.length ? o.cap : packagesImported(built.wit);
    const issuer = await keyFor('default_account', 'account', o.issuer);
    const sub = await keyFor(`${config.name}_component`, 'component');
    for (const n of [issuer.note, sub.note]) if (n) notes.push(n);
    out = (await wascap()).signComponent(built.bytes, {
      issuer: issuer.kp,
      subject: sub.kp,
      name: config.name,
      caps,
    }).bytes;
    subject = sub.kp.getPublicKey();
  }
  await mkdir(join(abs, 'build'), { recursive: true });
  await writeFile(dest, out);
  const result: StampedResult = {
    file: dest,
    sha256: bytesHash(out),
    bytes: out.length,
    engine: built.engine,
    caps,
    subject,
  };
  await writeStamp(abs, stampOpts, built.inputs, result);
  report(o, config, { ...result, cached: built.cached, upToDate: false, notes, ms: since(t0) });
}

const since = (t0: number): number => Math.round(performance.now() - t0);

interface Report extends StampedResult {
  cached: boolean;
  upToDate: boolean;
  notes: string[];
  ms: number;
}

function report(o: BuildOpts, config: ActorConfig, r: Report): void {
  const { file, engine, bytes, cached, upToDate: fresh, subject, caps, notes, ms } = r;
  const json = {
    success: true,
    file,
    engine,
    bytes,
    cached,
    upToDate: fresh,
    signed: !o.unsigned,
    subject,
    caps,
    notes,
    ms,
  };
  emit(o.output, json, () => {
    for (const n of notes) println(n);
    const how = fresh ? `up to date, ${ms} ms` : cached ? `cached, ${ms} ms` : `${ms} ms`;
    println(
      `${green('✔')} built ${config.name} → ${file} (${(bytes / 1e6).toFixed(1)} MB, ${how}${o.unsigned ? ', unsigned' : ', signed'})`,
    );
    const eng = engine as Engine;
    println(dim(`  engine: ${ENGINE_LABEL[eng]}${o.engine ? '' : config.engine ? ' (weft.json)' : ' (default)'}`));
    if (caps)
      println(
        dim(
          `  caps: ${caps.join(', ') || 'none (deny-all)'}${o.cap.length ? '' : ' (what the world imports; --cap to change)'}`,
        ),
      );
    println(
      dim(
        `  next: weft push ${file} nats://artifacts/${config.name}:0.1.0 && weft start component nats://artifacts/${config.name}:0.1.0 ${config.name}`,
      ),
    );
  });
}
