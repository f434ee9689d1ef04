import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { LatticeError, LatticeErrorCode } from '../../../lattice/client.ts';
import type { NatsArtifactStore } from '../../../lattice/index.ts';
import { CliError, CliErrorCode } from '../errors.ts';
import { natsOptionsOf, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { emit, println } from '../output.ts';
import { runCommand } from '../run-command.ts';

/** The whole lattice barrel (JetStream Object Store), loaded when a push or pull runs. */
const lattice = () => import('../../../lattice/index.ts');

async function natsRef(ref: string) {
  const r = (await lattice()).parseArtifactRef(ref);
  if (r.kind !== 'nats') throw new CliError(CliErrorCode.Usage, `"${ref}" is not a nats:// reference`, 'use nats://bucket/name:tag');
  return r;
}

async function withStore<T>(o: LatticeCliOptions, fn: (s: NatsArtifactStore) => Promise<T>): Promise<T> {
  const { connectNats, NatsArtifactStore } = await lattice();
  const nc = await connectNats(natsOptionsOf(o));
  try {
    return await fn(new NatsArtifactStore(nc));
  } finally {
    await nc.close();
  }
}

/** `weft push FILE REF` and `weft pull REF [FILE]`: artifacts in a JetStream Object Store bucket. */
export function registerPushPullCommands(program: Command): void {
  withLattice(program.command('push').argument('<file>', 'a .wasm component or module').argument('<ref>', 'nats://bucket/name:tag'))
    .description('store a Wasm artifact in the lattice (JetStream Object Store) for hosts to run')
    .addHelpText('after', '\nExamples:\n  weft push build/adder.wasm nats://artifacts/adder:0.1.0\n  weft start component nats://artifacts/adder:0.1.0 adder')
    .action(
      runCommand(async (file: string, ref: string, o: LatticeCliOptions) => {
        const r = await natsRef(ref);
        const bytes = await readFile(file).catch((err: unknown) => {
          throw new CliError(CliErrorCode.Usage, `cannot read ${file}: ${(err as Error).message}`);
        });
        if ((await lattice()).wasmKindOf(bytes) === 'unknown') {
          throw new LatticeError(LatticeErrorCode.BadRequest, `${file} is not a Wasm component or module`, {
            hint: 'build it with `weft build` or pass a .wasm file',
          });
        }
        const info = await withStore(o, (s) => s.push(r, bytes));
        emit(o.output, { success: true, ref, ...info }, () => println(`pushed ${file} (${info.size} bytes) to ${ref}`));
      }),
    );

  withLattice(program.command('pull').argument('<ref>', 'nats://bucket/name:tag').argument('[file]', 'where to write it'))
    .description('fetch a Wasm artifact from the lattice')
    .addHelpText('after', '\nExamples:\n  weft pull nats://artifacts/adder:0.1.0 adder.wasm')
    .action(
      runCommand(async (ref: string, file: string | undefined, o: LatticeCliOptions) => {
        const r = await natsRef(ref);
        const bytes = await withStore(o, (s) => s.pull(r));
        const dest = file ?? `${r.name.replace(/\//g, '_')}.wasm`;
        await writeFile(dest, bytes);
        emit(o.output, { success: true, ref, file: dest, size: bytes.length }, () => println(`pulled ${ref} to ${dest} (${bytes.length} bytes)`));
      }),
    );
}
