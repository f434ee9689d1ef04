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
  if (r.kind !== 'nats')
    throw new CliError(CliErrorCode.Usage, `"${ref}" is not a nats:// reference`, 'use nats://bucket/name:tag');
  return r;
}

interface RegistryCliOptions extends LatticeCliOptions {
  allowInsecureRegistries?: string[];
  registryMirror?: string[];
}

/** An OCI registry ref (`ghcr.io/org/name:tag`, `localhost:5000/name`, `oci://…`) or `undefined` for anything else. */
async function ociRef(ref: string) {
  const { looksLikeOciReference } = await import('../../../lattice/oci/reference.ts');
  return looksLikeOciReference(ref)
    ? (await import('../../../lattice/oci/index.ts')).parseOciReference(ref)
    : undefined;
}

/** A registry client with the credentials of `weft reg login` (then Docker's config.json). */
async function ociClient(o: RegistryCliOptions) {
  const [{ OciClient }, { credentialsFor }] = await Promise.all([
    import('../../../lattice/oci/index.ts'),
    import('../registry-auth.ts'),
  ]);
  return new OciClient({
    credentials: credentialsFor,
    ...(o.allowInsecureRegistries ? { allowInsecure: o.allowInsecureRegistries } : {}),
  });
}

const INSECURE_HELP = 'registries that may be reached over plain HTTP (localhost and 127.0.0.1 always are)';

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
  withLattice(
    program
      .command('push')
      .argument('<file>', 'a .wasm component or module')
      .argument('<ref>', 'nats://bucket/name:tag or an OCI ref registry[:port]/repo:tag'),
  )
    .description('store a Wasm artifact in the lattice (JetStream Object Store) or an OCI registry for hosts to run')
    .option('--allow-insecure-registries <host...>', INSECURE_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  weft push build/adder.wasm nats://artifacts/adder:0.1.0\n  weft push build/adder.wasm ghcr.io/me/adder:0.1.0     (after weft reg login ghcr.io)\n  weft start component nats://artifacts/adder:0.1.0 adder',
    )
    .action(
      runCommand(async (file: string, ref: string, o: RegistryCliOptions) => {
        const oci = await ociRef(ref);
        const r = oci ? undefined : await natsRef(ref);
        const bytes = await readFile(file).catch((err: unknown) => {
          throw new CliError(CliErrorCode.Usage, `cannot read ${file}: ${(err as Error).message}`);
        });
        if ((await lattice()).wasmKindOf(bytes) === 'unknown') {
          throw new LatticeError(LatticeErrorCode.BadRequest, `${file} is not a Wasm component or module`, {
            hint: 'build it with `weft build` or pass a .wasm file',
          });
        }
        if (oci) {
          const { pushWasm } = await import('../../../lattice/oci/index.ts');
          const text = o.output !== 'json';
          const { transferProgress } = await import('../transfer-progress.ts');
          const onBytes = transferProgress('layer', !text);
          const res = await pushWasm(await ociClient(o), oci, bytes, {
            onProgress: (step, state) => text && process.stderr.write(`  ${step}: ${state}\n`),
            ...(onBytes ? { onBytes } : {}),
          });
          emit(o.output, { success: true, ...res }, () => println(`pushed ${file} (${res.size} bytes) to ${res.ref}`));
          return;
        }
        const info = await withStore(o, (s) => s.push(r!, bytes));
        emit(o.output, { success: true, ref, ...info }, () => println(`pushed ${file} (${info.size} bytes) to ${ref}`));
      }),
    );

  withLattice(
    program
      .command('pull')
      .argument('<ref>', 'nats://bucket/name:tag or an OCI ref')
      .argument('[file]', 'where to write it'),
  )
    .description('fetch a Wasm artifact from the lattice or an OCI registry')
    .option('--allow-insecure-registries <host...>', INSECURE_HELP)
    .option('--max-bytes <n>', 'largest artifact accepted from a registry', (v) => Number(v), 50 * 1024 * 1024)
    .option(
      '--registry-mirror <registry=mirror...>',
      'pull refs of REGISTRY from MIRROR instead (as weft up --registry-mirror), e.g. ghcr.io=localhost:5000',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  weft pull nats://artifacts/adder:0.1.0 adder.wasm\n  weft pull ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0\n  weft pull ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0 --registry-mirror ghcr.io=localhost:5000',
    )
    .action(
      runCommand(async (ref: string, file: string | undefined, o: RegistryCliOptions & { maxBytes: number }) => {
        const oci = await ociRef(ref);
        if (oci) {
          const [
            { pullWasm, mirroredReference, formatOciReference, withDigest },
            { mirrorsFrom },
            { transferProgress },
          ] = await Promise.all([
            import('../../../lattice/oci/index.ts'),
            import('../registry-options.ts'),
            import('../transfer-progress.ts'),
          ]);
          const from = mirroredReference(
            oci,
            mirrorsFrom(o.registryMirror ?? process.env['WEFT_REGISTRY_MIRRORS']?.split(',')),
          );
          const onBytes = transferProgress('layer', o.output === 'json');
          const pulled = await pullWasm(await ociClient(o), from, {
            maxBytes: o.maxBytes,
            ...(onBytes ? { onBytes } : {}),
          });
          // reported as asked for (the mirror serves the same digest)
          const res = {
            ...pulled,
            ref: formatOciReference(withDigest(oci, pulled.digest)),
            ...(from !== oci ? { mirror: from.registry } : {}),
          };
          const dest = file ?? `${oci.repository.split('/').pop()!}.wasm`;
          await writeFile(dest, res.bytes);
          const { bytes: _bytes, ...info } = res;
          emit(o.output, { success: true, ...info, file: dest, size: res.bytes.length }, () =>
            println(`pulled ${res.ref} to ${dest} (${res.bytes.length} bytes, ${res.layerMediaType})`),
          );
          return;
        }
        const r = await natsRef(ref);
        const bytes = await withStore(o, (s) => s.pull(r));
        const dest = file ?? `${r.name.replace(/\//g, '_')}.wasm`;
        await writeFile(dest, bytes);
        emit(o.output, { success: true, ref, file: dest, size: bytes.length }, () =>
          println(`pulled ${ref} to ${dest} (${bytes.length} bytes)`),
        );
      }),
    );
}
