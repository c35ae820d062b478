/**
 * The command line's surface: commands with their arguments and options, the help for each, and
 * reading argv into one of them. Anything that does not fit is a usage error (exit 2) with a
 * message of Kiln's own, never Node's parseArgs text.
 */
import { parseArgs } from 'node:util';

export interface Option {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** The value's name in help (`--root DIR`). */
  readonly value?: string;
  /** The values it takes, when they are fixed (for shell completion). */
  readonly choices?: readonly string[];
  readonly help: string;
}

export const GLOBAL_OPTIONS = {
  root: { type: 'string', value: 'DIR', help: 'repository root (default: the nearest folder, from here up, holding environments/ and package.json)' },
  json: { type: 'boolean', help: "one JSON object a line, each with a type: diagnostics and usage errors on stderr, results on stdout (README: 'Machine-readable output')" },
  date: { type: 'string', value: 'DATE', help: 'the date waivers of stage policies are checked against, YYYY-MM-DD (default today, UTC); never changes the output' },
  help: { type: 'boolean', short: 'h', help: 'print help (of the command, after one)' },
  version: { type: 'boolean', short: 'v', help: 'print the version' },
} as const satisfies Record<string, Option>;

const DIFF_OPTIONS = {
  base: { type: 'string', value: 'REF', help: 'the git revision to compare with (default HEAD)' },
  format: { type: 'string', value: 'FORMAT', choices: ['text', 'markdown', 'json'], help: 'text, markdown or json (default text; json with --json)' },
  'exit-code': { type: 'boolean', help: 'exit 1 when anything changed' },
} as const satisfies Record<string, Option>;

const GENERATE_OPTIONS = {
  watch: { type: 'boolean', help: 'stay running: compile again when a file under environments/ is saved, print the diagnostics and what changed (Ctrl-C stops)' },
} as const satisfies Record<string, Option>;

const OPTIONS: Readonly<Record<string, Option>> = { ...GLOBAL_OPTIONS, ...DIFF_OPTIONS, ...GENERATE_OPTIONS };

interface Command {
  /** What follows the name in the usage line. */
  readonly args: string;
  /** How many arguments it takes. */
  readonly min: number;
  readonly max: number;
  readonly summary: string;
  readonly options?: Readonly<Record<string, Option>>;
  /** Whether it reads a repository (all but schema, completion and init). */
  readonly root: boolean;
  /** For shell completion: how many of its first arguments name environments. */
  readonly environments?: number;
  /** For shell completion: the values its arguments take, when they are fixed. */
  readonly choices?: readonly string[];
}

export const COMMANDS = {
  generate: { args: '[ENV…]', min: 0, max: Infinity, root: true, environments: Infinity, options: GENERATE_OPTIONS, summary: 'compile all or the named environments into generated/; with any error, writes nothing' },
  check: { args: '[ENV…]', min: 0, max: Infinity, root: true, environments: Infinity, summary: 'compile in memory and compare with generated/; exit 1 on stale, missing, extra or hand-edited files' },
  list: { args: '', min: 0, max: 0, root: true, summary: 'environments with their stage, systems and targets (loaded and validated, nothing compiled)' },
  explain: { args: 'ENV', min: 1, max: 1, root: true, environments: 1, summary: 'the resolved environment model, as YAML (or --json)' },
  test: { args: '[ENV…]', min: 0, max: Infinity, root: true, environments: Infinity, summary: 'run the generated Prometheus rule tests with promtool; failures named by environment, alert and case' },
  promote: { args: 'FROM TO [SERVICE…]', min: 2, max: Infinity, root: true, environments: 2, summary: "give TO (which follows FROM) the images FROM runs, by editing TO's environment file" },
  diff: { args: '', min: 0, max: 0, root: true, options: DIFF_OPTIONS, summary: 'resource-aware diff of generated/ between a git revision and the working tree, secrets masked' },
  policies: { args: '[ENV…]', min: 0, max: Infinity, root: true, environments: Infinity, summary: 'every stage policy and the stages it applies in, and each waiver of all or the named environments, with its expiry and status' },
  schema: { args: '', min: 0, max: 0, root: false, summary: 'JSON Schema of the environment input, for editors' },
  init: { args: '[SYSTEM]', min: 0, max: 1, root: false, summary: 'scaffold a system (default: named after the folder) and its development environment, on Docker Compose, in a new repository (--root, or here); overwrites nothing' },
  completion: { args: 'SHELL', min: 1, max: 1, root: false, choices: ['bash', 'zsh'], summary: 'print the completion script of bash or zsh: commands, options and environment names' },
} as const satisfies Record<string, Command>;

export type CommandName = keyof typeof COMMANDS;

const ENVIRONMENT = `Environment:
  KILN_LOAD_TIMEOUT   seconds one environment file may take to load (default 30)
  KILN_DATE           the date waivers are checked against, as --date (which wins)
  KILN_DEBUG          print the stack of an internal error
  NO_COLOR            no colour on a terminal

Exit codes: 0 ok, 1 errors in the input or drift, 2 usage, 3 internal error.
`;

const optionLines = (options: Readonly<Record<string, Option>>): string[] =>
  Object.entries(options).map(([name, option]) => {
    const flag = `${'short' in option && option.short ? `-${option.short}, ` : ''}--${name}${option.value ? ` ${option.value}` : ''}`;
    return `  ${flag.padEnd(18)}  ${option.help}`;
  });

const usageLine = (name: CommandName): string => `kiln ${name}${COMMANDS[name].args ? ` ${COMMANDS[name].args}` : ''} [options]`;

/** `kiln --help`: every command. */
export function help(): string {
  const commands = Object.entries(COMMANDS).map(([name, command]) => {
    const head = `  ${name}${command.args ? ` ${command.args}` : ''}`;
    return head.length < 20 ? `${head.padEnd(20)}${command.summary}` : `${head}\n${' '.repeat(20)}${command.summary}`;
  });
  return `kiln: compile typed environments into a verified generated/ tree

Usage: kiln <command> [options]      'kiln <command> --help' for one command

Commands:
${commands.join('\n')}

Options:
${optionLines(GLOBAL_OPTIONS).join('\n')}

${ENVIRONMENT}`;
}

/** `kiln generate --help`: one command, its arguments and options. */
export function commandHelp(name: CommandName): string {
  const command: Command = COMMANDS[name];
  const own = command.options ? `\nOptions of ${name}:\n${optionLines(command.options).join('\n')}\n` : '';
  return `Usage: ${usageLine(name)}

${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.
${own}
Options:
${optionLines(GLOBAL_OPTIONS).join('\n')}

${ENVIRONMENT}`;
}

export interface Values {
  readonly root?: string;
  readonly json: boolean;
  readonly date?: string;
  readonly base?: string;
  readonly format?: string;
  readonly exitCode: boolean;
  readonly watch: boolean;
}

export type Invocation =
  | { readonly kind: 'run'; readonly command: CommandName; readonly args: readonly string[]; readonly values: Values }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'usage'; readonly message: string; readonly hint: string; readonly json: boolean };

const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

/** Reads argv into what to do; anything that does not fit is a usage error with a hint. */
export function readArguments(argv: readonly string[]): Invocation {
  const { values, positionals, tokens } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const json = values.json === true;
  const [name, ...args] = positionals;
  const command = name !== undefined && isCommand(name) ? name : undefined;
  const seeHelp = command ? `run 'kiln ${command} --help'` : "run 'kiln --help'";
  const usage = (message: string, hint = seeHelp): Invocation => ({ kind: 'usage', message, hint, json });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = OPTIONS[token.name];
    if (option === undefined) return usage(`unknown option '${token.rawName}'`);
    if (option.type === 'boolean' && token.inlineValue) return usage(`${token.rawName} takes no value`);
    // `--root --json` would take '--json' as the root.
    if (option.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) return usage(`${token.rawName} needs a value: ${token.rawName} ${option.value ?? 'VALUE'}`);
    const owner = Object.entries(COMMANDS).find(([, other]) => 'options' in other && token.name in other.options)?.[0];
    if (command !== undefined && owner !== undefined && owner !== command) return usage(`${token.rawName} is an option of ${owner}, not of ${command}`);
  }
  if (values.version === true) return { kind: 'version' };
  if (name === 'help') {
    const topic = args[0];
    if (topic === undefined) return { kind: 'help', text: help() };
    return isCommand(topic) && args.length === 1 ? { kind: 'help', text: commandHelp(topic) } : usage(`there is no command '${args.join(' ')}'`);
  }
  if (name === undefined) return values.help === true ? { kind: 'help', text: help() } : usage('a command is missing', `${seeHelp} for the commands`);
  if (command === undefined) return usage(`unknown command '${name}'`, `${seeHelp} for the commands`);
  if (values.help === true) return { kind: 'help', text: commandHelp(command) };
  const { min, max } = COMMANDS[command];
  if (args.length < min || args.length > max) {
    const takes = max === 0 ? 'takes no arguments' : min === max ? `takes exactly ${min === 1 ? 'one argument' : `${min} arguments`}` : `takes at least ${min} arguments`;
    return usage(`${command} ${takes}${args.length > max ? `, not '${args.slice(max).join(' ')}'` : ''}: ${usageLine(command)}`);
  }
  return {
    kind: 'run',
    command,
    args,
    values: {
      json,
      exitCode: values['exit-code'] === true,
      watch: values.watch === true,
      ...(typeof values.root === 'string' && { root: values.root }),
      ...(typeof values.date === 'string' && { date: values.date }),
      ...(typeof values.base === 'string' && { base: values.base }),
      ...(typeof values.format === 'string' && { format: values.format }),
    },
  };
}
