import { cp, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option } from 'commander';
import type { Command } from 'commander';
import { TEMPLATES } from '../toolchain/templates.ts';
import { CliError, CliErrorCode } from '../errors.ts';
import { withOutput } from '../options.ts';
import type { OutputFormat } from '../output.ts';
import { emit, green, println } from '../output.ts';
import { runCommand } from '../run-command.ts';

const WIT_DEPS = fileURLToPath(new URL('../../../wit/deps', import.meta.url));

/** `weft new actor NAME --template http|kv|messaging`. */
export function registerNewCommand(program: Command): void {
  const create = program.command('new').description('scaffold a new project');
  withOutput(create.command('actor').argument('<name>', 'actor name (folder created in the current directory)'))
    .description('scaffold a JavaScript actor that `weft build` turns into a signed component')
    .addOption(
      new Option('-t, --template <template>', 'what the actor does').choices(Object.keys(TEMPLATES)).default('http'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  weft new actor hello --template http && cd hello && weft build\n  weft new actor counter --template kv',
    )
    .action(
      runCommand(async (name: string, o: { output: OutputFormat; template: string }) => {
        if (!/^[a-z][a-z0-9-]*$/.test(name))
          throw new CliError(CliErrorCode.Usage, `actor name "${name}" must be lowercase letters, digits and -`);
        const dir = resolve(name);
        if (existsSync(dir)) throw new CliError(CliErrorCode.Usage, `${dir} already exists`);
        const t = TEMPLATES[o.template]!;
        await mkdir(join(dir, 'src'), { recursive: true });
        await cp(WIT_DEPS, join(dir, 'wit', 'deps'), { recursive: true });
        await writeFile(
          join(dir, 'wit', 'world.wit'),
          `package local:${name.replace(/-/g, '')}@0.1.0;\n\n${t.witWorld}`,
        );
        await writeFile(join(dir, 'src', 'index.js'), t.source.replace(/NAME/g, name));
        await writeFile(
          join(dir, 'weft.json'),
          JSON.stringify({ name, world: t.world, wit: 'wit', source: 'src/index.js' }, null, 2) + '\n',
        );
        await writeFile(
          join(dir, 'README.md'),
          `# ${name}\n\nA weft actor (template \`${o.template}\`). Build it with \`weft build\`: the signed component lands in \`build/${name}.wasm\`.\n`,
        );
        emit(o.output, { success: true, dir, template: o.template }, () => {
          println(`${green('✔')} created ${o.template} actor ${name} in ${dir}`);
          println(`  next: cd ${name} && weft build`);
        });
      }),
    );
}
