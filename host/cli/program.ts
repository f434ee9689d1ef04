/**
 * The `weft` command tree: commander wiring only. Every command lives in `commands/` (one verb per file) and talks to the
 * lattice only through `lattice/client.ts`, except `up`, which is the composition root of a host.
 *
 * Start cost: a run imports only the file of the command it runs (`weft get hosts`: commands/get.ts), every one
 * for the whole tree (`--help`, `completion`, an unknown command), none for `--version`. Command files load only
 * commander and the light CLI modules (options, output, errors); an action imports what it needs when it runs (the
 * NATS client on connect, the host, jco and the providers only for `up`). test/e2e/cli-start.test.ts keeps it so.
 */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { applyContext } from './options.ts';
import { ExitCode, reportError, setVerbose } from './run-command.ts';

/** The package's version (the host reports the same one); read here so that `--version` loads no host code. */
const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** Imports a command's file and returns what registers it (so that the whole tree loads in parallel, in order). */
type Register = () => Promise<(program: Command) => void>;

/** `weft start|stop|scale|update`: one tree of lifecycle commands over components, providers and hosts. */
const lifecycle: Register = async () => {
  const [{ registerStopCommand }, { registerComponentCommands }, { registerProviderCommands }] = await Promise.all([
    import('./commands/stop.ts'),
    import('./commands/component.ts'),
    import('./commands/provider.ts'),
  ]);
  return (program) => {
    const stop = registerStopCommand(program);
    const start = program.command('start').description('start a component or provider');
    const scale = program.command('scale').description('scale a component on a host');
    const update = program.command('update').description('live-update a component');
    registerComponentCommands(start, stop, scale, update);
    registerProviderCommands(start, stop);
  };
};

/** The top-level commands in help order: their names and how to register them (importing their file). */
const COMMANDS: [names: string[], register: Register][] = [
  [['up'], async () => (await import('./commands/up.ts')).registerUpCommand],
  [['down'], async () => (await import('./commands/down.ts')).registerDownCommand],
  [['get'], async () => (await import('./commands/get.ts')).registerGetCommand],
  [['label'], async () => (await import('./commands/label.ts')).registerLabelCommand],
  [['config'], async () => (await import('./commands/config.ts')).registerConfigCommand],
  [['stop', 'start', 'scale', 'update'], lifecycle],
  [['call'], async () => (await import('./commands/call.ts')).registerCallCommand],
  [['link'], async () => (await import('./commands/link.ts')).registerLinkCommand],
  [['pub'], async () => (await import('./commands/pub.ts')).registerPubCommand],
  [['spy'], async () => (await import('./commands/spy.ts')).registerSpyCommand],
  [['new'], async () => (await import('./commands/actor-new.ts')).registerNewCommand],
  [['build'], async () => (await import('./commands/actor-build.ts')).registerBuildCommand],
  [['dev'], async () => (await import('./commands/dev.ts')).registerDevCommand],
  [['keys'], async () => (await import('./commands/wascap-keys.ts')).registerKeysCommand],
  [['claims'], async () => (await import('./commands/wascap-claims.ts')).registerClaimsCommand],
  [['app'], async () => (await import('./commands/apps.ts')).registerAppCommand],
  [['controller'], async () => (await import('./commands/controller.ts')).registerControllerCommand],
  [['ui'], async () => (await import('./commands/ui.ts')).registerUiCommand],
  [['top'], async () => (await import('./commands/top.ts')).registerTopCommand],
  [['ctx'], async () => (await import('./commands/ctx.ts')).registerCtxCommand],
  [['completion'], async () => (await import('./commands/completion.ts')).registerCompletionCommand],
  [['push', 'pull'], async () => (await import('./commands/push.ts')).registerPushPullCommands],
  [['reg'], async () => (await import('./commands/reg.ts')).registerRegCommand],
  [['secrets'], async () => (await import('./commands/secrets.ts')).registerSecretsCommand],
];

/**
 * Which commands `args` (after `weft`) needs: the one it names; none for a bare `--version`; every one otherwise
 * (help, `completion`, which prints the whole tree, or an unknown command, for commander's suggestion).
 */
function commandsFor(args: string[]): Register[] {
  const first = args.find((a) => !a.startsWith('-'));
  if (
    first === undefined &&
    args.some((a) => a === '-V' || a === '--version') &&
    !args.some((a) => a === '-h' || a === '--help')
  )
    return [];
  const named = COMMANDS.find(([names]) => first !== undefined && first !== 'completion' && names.includes(first));
  return named ? [named[1]] : COMMANDS.map(([, register]) => register);
}

/** Builds the command tree for `argv` (`process.argv`); the whole tree for `buildProgram([])` plus `--help`. */
export async function buildProgram(argv: string[] = process.argv): Promise<Command> {
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
        for (const k of ['natsUrl', 'lattice', 'natsCreds', 'tlsCa'] as const)
          if (o[k] !== undefined) action.setOptionValue(k, o[k]);
      }
    })
    .addHelpText(
      'after',
      '\nQuick start:\n  weft up                  start a nats-server and a host (Ctrl+C stops both)\n  weft get hosts           list the hosts of the lattice\n  weft config put NAME K=V store named config',
    );
  for (const register of await Promise.all(commandsFor(argv.slice(2)).map((load) => load()))) register(program);
  return program;
}

/** Parses `process.argv` and runs the command; sets `process.exitCode`. */
export async function run(): Promise<void> {
  const program = await buildProgram();
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
