import type { Command } from 'commander';
import { println } from '../output.ts';

/** Every command path of the program, e.g. `get hosts`. */
function commandPaths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => {
    const path = [...prefix, c.name()];
    return [path, ...commandPaths(c, path)];
  });
}

/** A bash completion script for the command tree. */
export function bashCompletion(program: Command): string {
  const paths = commandPaths(program);
  const cases = new Map<string, Set<string>>();
  for (const p of paths) {
    const parent = p.slice(0, -1).join(' ');
    const set = cases.get(parent) ?? new Set<string>();
    set.add(p[p.length - 1] ?? '');
    cases.set(parent, set);
  }
  const body = [...cases].map(([parent, words]) => `    "${parent}") words="${[...words].join(' ')}" ;;`).join('\n');
  return `# weft bash completion: eval "$(weft completion bash)"
_weft() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" words=""
  local i
  for ((i=1; i<COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) path="\${path:+$path }\${COMP_WORDS[i]}" ;; esac
  done
  case "$path" in
${body}
    *) words="" ;;
  esac
  COMPREPLY=( $(compgen -W "$words --help -o --output" -- "$cur") )
}
complete -F _weft weft
`;
}

/** `weft completion bash|zsh`. */
export function registerCompletionCommand(program: Command): void {
  program
    .command('completion')
    .argument('<shell>', 'bash or zsh')
    .description('print a shell completion script')
    .addHelpText('after', '\nExamples:\n  eval "$(weft completion bash)"\n  weft completion zsh > ~/.zfunc/_weft')
    .action((shell: string) => {
      const script = bashCompletion(program);
      println(shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${script}` : script);
    });
}
