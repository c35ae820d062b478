/**
 * `kiln completion bash|zsh`: the completion script, built from the commands and options usage.ts
 * declares. Environment names are the file names in environments/ of the repository (--root on
 * the line, or the nearest folder up holding environments/ and package.json, as kiln finds it),
 * listed by the shell itself: completing never starts Node.
 */
import { COMMANDS, GLOBAL_OPTIONS } from './usage.js';
import type { CommandName, Option } from './usage.js';

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

interface Words {
  /** `a b c` as the candidates of a completion. */
  readonly candidates: (words: readonly string[]) => string;
  /** Folders, for --root. */
  readonly folders: string;
  /** The environment names; `$root` is --root's value, if given. */
  readonly environments: string;
}

const BASH: Words = {
  candidates: (words) => `COMPREPLY=($(compgen -W "${words.join(' ')}" -- "$cur"))`,
  folders: 'COMPREPLY=($(compgen -d -- "$cur"))',
  environments: 'COMPREPLY=($(compgen -W "$(_kiln_environments "$root")" -- "$cur"))',
};

const ZSH: Words = {
  candidates: (words) => `compadd -- ${words.join(' ')}`,
  folders: '_files -/',
  environments: 'compadd -- ${(f)"$(_kiln_environments "$root")"}',
};

/** Every option of every command, the global ones first. */
const allOptions = (): Readonly<Record<string, Option>> => Object.assign({}, GLOBAL_OPTIONS, ...Object.values(COMMANDS).map((command) => ('options' in command ? command.options : {})));

const flags = (options: Readonly<Record<string, Option>>): string[] => Object.entries(options).flatMap(([name, option]) => [`--${name}`, ...(option.short ? [`-${option.short}`] : [])]);

/** The arms of `case $command` for what follows a command: its options, or its arguments. */
function arms(words: Words): { options: string[]; values: string[]; args: string[] } {
  const commands = Object.entries(COMMANDS) as [CommandName, (typeof COMMANDS)[CommandName]][];
  const takesValue = Object.entries(allOptions()).filter(([, option]) => option.type === 'string');
  const names = [...Object.keys(COMMANDS), 'help'];
  const args = commands.flatMap(([name, command]) => {
    const count = 'environments' in command ? command.environments : 'choices' in command ? command.max : 0;
    if (count === 0) return [];
    const complete = 'choices' in command ? words.candidates(command.choices) : words.environments;
    return [`    ${name}) ${count === Infinity ? complete : `(( \${#args[@]} < ${count} )) && ${complete}`} ;;`];
  });
  return {
    options: [...commands.filter(([, command]) => 'options' in command).map(([name, command]) => `      ${name}) ${words.candidates(flags({ ...GLOBAL_OPTIONS, ...('options' in command ? command.options : {}) }))} ;;`), `      *) ${words.candidates(flags(GLOBAL_OPTIONS))} ;;`],
    values: takesValue.map(([name, option]) => `    --${name}) ${name === 'root' ? words.folders : option.choices ? words.candidates(option.choices) : ':'}; return ;;`),
    args: [`    '') ${words.candidates(names)} ;;`, `    help) (( \${#args[@]} < 1 )) && ${words.candidates(names)} ;;`, ...args],
  };
}

/** Reads the line before the cursor: the command, its arguments so far, and --root's value. */
function readLine(first: number, word: (index: string) => string, valueOptions: string): string {
  return `  local command='' root='' word i
  local -a args=()
  for ((i = ${first}; i < ${first === 1 ? 'COMP_CWORD' : 'CURRENT'}; i++)); do
    word=${word('i')}
    case $word in
      --root) root=${word('i + 1')}; ((i++)) ;;
      --root=*) root=\${word#--root=} ;;
      ${valueOptions}) ((i++)) ;;
      -*) ;;
      *) if [[ -z $command ]]; then command=$word; else args+=("$word"); fi ;;
    esac
  done`;
}

/** Prints the environment names of the repository: the file names in its environments/. */
const ENVIRONMENTS = (glob: string) => `_kiln_environments() {
  local dir=$1 file
  if [[ -z $dir ]]; then
    dir=$PWD
    until [[ -d $dir/environments && -f $dir/package.json ]]; do
      [[ -z $dir || $dir == / ]] && return 0
      dir=\${dir%/*}
    done
  fi
  for file in ${glob}; do
    [[ -f $file ]] || continue
    file=\${file##*/}
    printf '%s\\n' "\${file%.ts}"
  done
}`;

export function completionScript(shell: Shell): string {
  const words = shell === 'bash' ? BASH : ZSH;
  const { options, values, args } = arms(words);
  const valueOptions = Object.entries(allOptions())
    .filter(([name, option]) => option.type === 'string' && name !== 'root')
    .map(([name]) => `--${name}`)
    .join('|');
  const body = `  case $prev in
${values.join('\n')}
  esac
  if [[ $cur == -* ]]; then
    case $command in
${options.join('\n')}
    esac
    return
  fi
  case $command in
${args.join('\n')}
  esac
}`;
  if (shell === 'bash') {
    return `# bash completion for kiln: commands, options and environment names.
# Load it with: source <(kiln completion bash)
# or save it as ~/.local/share/bash-completion/completions/kiln
${ENVIRONMENTS('"$dir"/environments/*.ts')}

_kiln() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD - 1]}
  COMPREPLY=()
${readLine(1, (index) => `\${COMP_WORDS[${index}]}`, valueOptions)}
${body}

complete -F _kiln kiln
`;
  }
  return `#compdef kiln
# zsh completion for kiln: commands, options and environment names.
# Load it with: source <(kiln completion zsh)   (after compinit)
# or save it as _kiln in a folder of $fpath.
${ENVIRONMENTS('"$dir"/environments/*.ts(N)')}

_kiln() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT - 1]}
${readLine(2, (index) => `\${words[${index}]}`, valueOptions)}
${body}

if [[ \${funcstack[1]} == _kiln ]]; then _kiln "$@"; else compdef _kiln kiln; fi
`;
}
