import { Option } from 'commander';
import type { Command } from 'commander';
import { natsOptionsOf, requireIds, withLattice } from '../options.ts';
import type { LatticeCliOptions } from '../options.ts';
import { printJson } from '../output.ts';
import { runCommand } from '../run-command.ts';

interface CallOptions extends LatticeCliOptions {
  callTimeoutMs: number;
}

/** Each argument is one JSON value; a bare word that is not JSON is taken as a string. */
export function parseCallArgs(args: string[]): unknown[] {
  return args.map((a) => {
    try {
      return JSON.parse(a) as unknown;
    } catch {
      return a;
    }
  });
}

/** `weft call COMPONENT_ID 'ns:pkg/iface.func' ARGS…`. */
export function registerCallCommand(program: Command): void {
  withLattice(
    program
      .command('call')
      .argument('<component-id>', 'component id')
      .argument('<function>', "'ns:pkg/iface.func' (version optional) or a root export's name")
      .argument('[args...]', 'one JSON value per parameter'),
  )
    .description("invoke a component's exported function over the lattice and print the result as JSON")
    .addOption(new Option('--call-timeout-ms <ms>', 'invocation timeout').default(10_000).argParser(Number))
    .addHelpText(
      'after',
      `\nExamples:\n  weft call adder 'docs:adder/add.add' 2 3        # prints 5\n  weft call strings roundtrip '"héllo 🌍"'\n  weft call flavorful 'test:flavorful/test.f-list-in-record1' '{"a":"x"}'`,
    )
    .action(
      runCommand(async (id: string, fn: string, args: string[], o: CallOptions) => {
        requireIds({ '<component-id>': id });
        const { connectNats, invokeComponent } = await import('../../../lattice/index.ts'); // msgpackr: only for calls
        const nc = await connectNats(natsOptionsOf(o));
        try {
          const result = await invokeComponent(nc, o.lattice, id, fn, parseCallArgs(args), {
            timeoutMs: o.callTimeoutMs,
            sourceId: 'weft-cli',
          });
          printJson(result ?? null);
        } finally {
          await nc.close();
        }
      }),
    );
}
