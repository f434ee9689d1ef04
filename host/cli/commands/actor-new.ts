import { cp, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option } from 'commander';
import type { Command } from 'commander';
import { LANGS, TEMPLATES, templateSource } from '../toolchain/templates.ts';
import { actorTsconfig, writeWitTypes } from '../toolchain/wit-types.ts';
import type { Lang } from '../toolchain/templates.ts';
import { CliError, CliErrorCode } from '../errors.ts';
import { withOutput } from '../options.ts';
import type { OutputFormat } from '../output.ts';
import { emit, green, println } from '../output.ts';
import { runCommand } from '../run-command.ts';

const WIT_DEPS = fileURLToPath(new URL('../../../wit/deps', import.meta.url));

/** `weft new actor NAME --template http|kv|messaging --lang ts|js`. */
export function registerNewCommand(program: Command): void {
  const create = program.command('new').description('scaffold a new project');
  withOutput(create.command('actor').argument('<name>', 'actor name (folder created in the current directory)'))
    .description('scaffold a TypeScript or JavaScript actor that `weft build` turns into a signed component')
    .addOption(
      new Option('-t, --template <template>', 'what the actor does').choices(Object.keys(TEMPLATES)).default('http'),
    )
    .addOption(new Option('-l, --lang <lang>', 'source language').choices(LANGS).default('ts'))
    .addHelpText(
      'after',
      '\nExamples:\n  weft new actor hello && cd hello && weft build\n  weft new actor counter --template kv --lang js',
    )
    .action(
      runCommand(async (name: string, o: { output: OutputFormat; template: string; lang: Lang }) => {
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
        const source = `src/index.${o.lang}`;
        await writeFile(join(dir, source), templateSource(t, o.lang, name));
        await writeFile(
          join(dir, 'weft.json'),
          JSON.stringify({ name, world: t.world, wit: 'wit', source }, null, 2) + '\n',
        );
        const config = { name, world: t.world, wit: 'wit', source };
        if (o.lang === 'ts') {
          await writeFile(join(dir, 'tsconfig.json'), actorTsconfig(config) + '\n');
          await writeWitTypes(dir, config);
        }
        await writeFile(join(dir, 'README.md'), readme(name, o.template, source));
        emit(o.output, { success: true, dir, template: o.template, lang: o.lang, source }, () => {
          println(`${green('✔')} created ${o.template} actor ${name} (${source}) in ${dir}`);
          println(`  next: cd ${name} && weft build`);
        });
      }),
    );
}

const readme = (name: string, template: string, source: string): string => `# ${name}

A weft actor (template \`${template}\`, source \`${source}\`). \`weft build\` bundles it (npm imports included)
and builds the signed component into \`build/${name}.wasm\`: on QuickJS by default (about 2 MB), or with
\`--engine starlingmonkey\` (or \`"engine"\` in weft.json) on StarlingMonkey, which has the whole web platform
(streams, \`fetch\`) at about 12 MB. WIT imports are ES modules (\`import { open } from 'wasi:keyvalue/store@0.2.0-draft'\`);
\`@weft/sdk\` has \`u64()\` for the engines' different 64-bit integers.
${
  source.endsWith('.ts')
    ? `
Types: \`wit/gen/\` holds the TypeScript declarations of the world's imports and exports and of \`@weft/sdk\`
(generated; \`weft build\` writes them again when the WIT changes), and \`tsconfig.json\` includes them, so
\`npx tsc -p .\` checks every WIT call.
`
    : ''
}`;
