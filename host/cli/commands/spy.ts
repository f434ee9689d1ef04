import { Option } from 'commander';
import type { Command } from 'commander';
import { natsOptionsOf, requireIds, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { dim, println } from '../output.ts';
import { runCommand } from '../run-command.ts';

const show = (v: unknown): string => {
  try {
    return (
      JSON.stringify(v, (_k, x: unknown) =>
        typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? `<${x.length} bytes>` : x,
      )?.slice(0, 300) ?? 'null'
    );
  } catch {
    return String(v);
  }
};

/** `weft spy COMPONENT_ID`: live invocations to a component and their results, decoded (like `wash spy`). */
export function registerSpyCommand(program: Command): void {
  withLattice(program.command('spy').argument('<component-id>', 'component (or provider) id'))
    .description('show live invocations to a component and their results, decoded from msgpack (Ctrl+C to stop)')
    .addOption(new Option('--for <seconds>', 'exit after this many seconds').argParser(Number))
    .addHelpText('after', '\nExamples:\n  weft spy counter\n  weft spy adder -o json --for 10')
    .action(
      runCommand(async (id: string, o: LatticeCliOptions & { for?: number }) => {
        requireIds({ '<component-id>': id });
        const { connectNats, decodeRpc, errorFromHeaders, rpcSubject, RpcHeader } =
          await import('../../../lattice/index.ts');
        const nc = await connectNats(natsOptionsOf(o));
        const prefix = rpcSubject.invoke(o.lattice, id, '');
        const inboxes = new Map<string, { op: string; t: number }>();
        const out = (e: Record<string, unknown>, text: string): void =>
          println(o.output === 'json' ? JSON.stringify(e) : text);
        nc.subscribe(rpcSubject.target(o.lattice, id), {
          callback: (_e, m) => {
            const op = m.subject.slice(prefix.length);
            let args: unknown;
            try {
              args = decodeRpc(m.data);
            } catch {
              args = `<${m.data.length} undecodable bytes>`;
            }
            const source = m.headers?.get(RpcHeader.SourceId) ?? '';
            if (m.reply) {
              inboxes.set(m.reply, { op, t: performance.now() });
              // watch the reply too: spies only read, the caller still gets its answer
              const sub = nc.subscribe(m.reply, {
                max: 1,
                callback: (_e2, r) => {
                  const started = inboxes.get(m.reply ?? '');
                  inboxes.delete(m.reply ?? '');
                  const err = errorFromHeaders(r.headers);
                  let result: unknown;
                  try {
                    result = err ? undefined : decodeRpc(r.data);
                  } catch {
                    result = `<${r.data.length} bytes>`;
                  }
                  const ms = started ? (performance.now() - started.t).toFixed(2) : '?';
                  out(
                    {
                      type: 'result',
                      component_id: id,
                      operation: op,
                      ms,
                      ...(err ? { error: err.message } : { result }),
                    },
                    `${dim('←')} ${op} ${err ? `error ${err.message}` : show(result)} ${dim(`${ms} ms`)}`,
                  );
                },
              });
              setTimeout(() => sub.unsubscribe(), 30_000).unref();
            }
            out(
              { type: 'invocation', component_id: id, operation: op, source_id: source, args },
              `${dim('→')} ${op}(${show(args)})${source ? dim(` from ${source}`) : ''}`,
            );
          },
        });
        await nc.flush();
        if (o.output !== 'json') process.stderr.write(dim(`spying on ${id} in lattice ${o.lattice}…\n`));
        await new Promise<void>((r) => {
          process.once('SIGINT', () => r());
          process.once('SIGTERM', () => r());
          if (o.for !== undefined) setTimeout(r, o.for * 1000);
        });
        await nc.close();
      }),
    );
}
