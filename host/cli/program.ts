/**
 * The `weft` command tree: commander wiring only. Every command lives in `commands/` (one verb per file) and talks to the
 * lattice only through `lattice/client.ts`, except `up`, which is the composition root of a host.
 *
 * Start cost: this file and every command file load only commander and the light CLI modules (options, output,
 * errors), so `--help` and `--version` load nothing else; an action imports what it needs when it runs (the NATS
 * client on connect, the host, jco and the providers only for `up`). test/e2e/cli-start.test.ts keeps it so.
 */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { registerCallCommand } from './commands/call.ts';
import { registerComponentCommands } from './commands/component.ts';
import { registerCompletionCommand } from './commands/completion.ts';
import { registerClaimsCommand } from './commands/wascap-claims.ts';
import { registerKeysCommand } from './commands/wascap-keys.ts';
import { registerProviderCommands } from './commands/provider.ts';
import { registerPubCommand } from './commands/pub.ts';
import { registerBuildCommand } from './commands/actor-build.ts';
import { registerNewCommand } from './commands/actor-new.ts';
import { registerAppCommand } from './commands/apps.ts';
import { registerControllerCommand } from './commands/controller.ts';
import { registerSpyCommand } from './commands/spy.ts';
import { registerCtxCommand } from './commands/ctx.ts';
import { registerDevCommand } from './commands/dev.ts';
import { registerConfigCommand } from './commands/config.ts';
import { registerDownCommand } from './commands/down.ts';
import { registerGetCommand } from './commands/get.ts';
import { registerLinkCommand } from './commands/link.ts';
import { registerLabelCommand } from './commands/label.ts';
import { registerPushPullCommands } from './commands/push.ts';
import { registerRegCommand } from './commands/reg.ts';
import { registerStopCommand } from './commands/stop.ts';
import { registerUiCommand } from './commands/ui.ts';
import { registerUpCommand } from './commands/up.ts';
import { applyContext } from './options.ts';
import { ExitCode, reportError, setVerbose } from './run-command.ts';

/** The package's version (the host reports the same one); read here so that `--version` loads no host code. */
const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** Builds the command tree (exported for tests and completions). */
export function buildProgram(): Command {
  const program = new Command('weft')
    .description('weft: a distributed actor runtime for WebAssembly components on NATS')
    .version(version, '-V, --version')
    .option('--verbose', 'print full error details')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) })
    .exitOverride()
    .hook('preAction', (cmd, action) => {
      setVerbose(!!cmd.optsWithGlobals()['verbose']);
      const o = action.opts();
      if (action.options.some((opt) => opt.long === '--timeout-ms')) {
        applyContext(o);
        for (const k of ['natsUrl', 'lattice', 'natsCreds', 'tlsCa'] as const) if (o[k] !== undefined) action.setOptionValue(k, o[k]);
      }
    })
    .addHelpText(
      'after',
      '\nQuick start:\n  weft up                  start a nats-server and a host (Ctrl+C stops both)\n  weft get hosts           list the hosts of the lattice\n  weft config put NAME K=V store named config',
    );
  registerUpCommand(program);
  registerDownCommand(program);
  registerGetCommand(program);
  registerLabelCommand(program);
  registerConfigCommand(program);
  const stop = registerStopCommand(program);
  const start = program.command('start').description('start a component or provider');
  const scale = program.command('scale').description('scale a component on a host');
  const update = program.command('update').description('live-update a component');
  registerComponentCommands(start, stop, scale, update);
  registerProviderCommands(start, stop);
  registerCallCommand(program);
  registerLinkCommand(program);
  registerPubCommand(program);
  registerSpyCommand(program);
  registerNewCommand(program);
  registerBuildCommand(program);
  registerDevCommand(program);
  registerKeysCommand(program);
  registerClaimsCommand(program);
  registerAppCommand(program);
  registerControllerCommand(program);
  registerUiCommand(program);
  registerCtxCommand(program);
  registerCompletionCommand(program);
  registerPushPullCommands(program);
  registerRegCommand(program);
  return program;
}

/** Parses `process.argv` and runs the command; sets `process.exitCode`. */
export async function run(): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
      return;
    }
    process.exitCode = reportError(err);
  }
}
