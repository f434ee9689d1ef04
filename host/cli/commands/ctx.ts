import type { Command } from 'commander';
import { currentContext, readContexts, writeContexts } from '../contexts.ts';
import { CliError, CliErrorCode } from '../errors.ts';
import { withOutput } from '../options.ts';
import type { OutputFormat } from '../output.ts';
import { emit, green, println, renderTable } from '../output.ts';
import { runCommand } from '../run-command.ts';

interface NewCtx {
  output: OutputFormat;
  natsUrl: string;
  lattice: string;
  natsCreds?: string;
  tlsCa?: string;
  use?: boolean;
}

/** `weft ctx new|use|list|get|del`: named defaults for lattice, NATS URL and credentials. */
export function registerCtxCommand(program: Command): void {
  const ctx = program.command('ctx').description('contexts: named defaults for --lattice, --nats-url and credentials');

  withOutput(ctx.command('new').argument('<name>'))
    .description('create (or replace) a context')
    .option('--nats-url <url>', 'NATS URL', 'nats://127.0.0.1:4222')
    .option('--lattice <name>', 'lattice', 'default')
    .option('--nats-creds <file>', 'credentials file to use')
    .option('--tls-ca <file>', 'CA certificate for NATS TLS')
    .option('--use', 'make it the current context')
    .addHelpText(
      'after',
      '\nExamples:\n  weft ctx new prod --nats-url nats://10.0.0.5:4222 --lattice prod --nats-creds ~/prod.creds --use',
    )
    .action(
      runCommand(async (name: string, o: NewCtx) => {
        const c = readContexts();
        c.contexts[name] = {
          nats_url: o.natsUrl,
          lattice: o.lattice,
          ...(o.natsCreds ? { nats_creds: o.natsCreds } : {}),
          ...(o.tlsCa ? { tls_ca: o.tlsCa } : {}),
        };
        if (o.use || !c.current) c.current = name;
        await writeContexts(c);
        emit(o.output, { success: true, name, current: c.current === name, context: c.contexts[name] }, () =>
          println(`${green('✔')} context ${name} saved${c.current === name ? ' and in use' : ''}`),
        );
      }),
    );

  withOutput(ctx.command('use').argument('<name>'))
    .description('use a context for the following commands')
    .action(
      runCommand(async (name: string, o: { output: OutputFormat }) => {
        const c = readContexts();
        if (!c.contexts[name])
          throw new CliError(CliErrorCode.Usage, `no context "${name}"`, 'list them with `weft ctx list`');
        c.current = name;
        await writeContexts(c);
        emit(o.output, { success: true, current: name }, () => println(`${green('✔')} using context ${name}`));
      }),
    );

  withOutput(ctx.command('list'))
    .description('list contexts')
    .action(
      runCommand((o: { output: OutputFormat }) => {
        const c = readContexts();
        const cur = currentContext()?.name;
        emit(o.output, { current: cur, contexts: c.contexts }, () => {
          const rows = Object.entries(c.contexts).map(([n, x]) => [
            n === cur ? `* ${n}` : `  ${n}`,
            x.lattice,
            x.nats_url,
            x.nats_creds ?? '',
          ]);
          println(
            rows.length
              ? renderTable(['  NAME', 'LATTICE', 'NATS URL', 'CREDENTIALS'], rows)
              : 'no contexts (create one with `weft ctx new NAME`)',
          );
        });
      }),
    );

  withOutput(ctx.command('get').argument('[name]'))
    .description('show a context (default: the current one)')
    .action(
      runCommand((name: string | undefined, o: { output: OutputFormat }) => {
        const n = name ?? currentContext()?.name;
        const x = n ? readContexts().contexts[n] : undefined;
        if (!n || !x)
          throw new CliError(
            CliErrorCode.Usage,
            name ? `no context "${name}"` : 'no context in use',
            'weft ctx new NAME --use',
          );
        emit(o.output, { name: n, ...x }, () =>
          println(
            renderTable(
              ['KEY', 'VALUE'],
              Object.entries(x).map(([k, v]) => [k, String(v)]),
            ),
          ),
        );
      }),
    );

  withOutput(ctx.command('del').argument('<name>'))
    .description('delete a context')
    .action(
      runCommand(async (name: string, o: { output: OutputFormat }) => {
        const c = readContexts();
        delete c.contexts[name];
        if (c.current === name) delete c.current;
        await writeContexts(c);
        emit(o.output, { success: true, name }, () => println(`context ${name} deleted`));
      }),
    );
}
