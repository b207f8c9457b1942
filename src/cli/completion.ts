// Shell completion for bash, zsh and fish, generated from the one command table (and the global flags).
import type { Command, FlagSpec } from './command.js';
import { GLOBAL_FLAGS } from './global-flags.js';

/** The shells `vbox-balloon completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface Flag {
  readonly name: string;
  readonly short: string | undefined;
  readonly takesValue: boolean;
}

function flagsOf(specs: Readonly<Record<string, FlagSpec>>): Flag[] {
  return Object.entries(specs).map(([name, s]) => ({ name, short: s.short, takesValue: s.type === 'string' }));
}

const GLOBALS = flagsOf(GLOBAL_FLAGS);
const words = (flags: readonly Flag[]): string => flags.flatMap((f) => [`--${f.name}`, ...(f.short === undefined ? [] : [`-${f.short}`])]).join(' ');
// Summaries go inside single quotes: a quote closes, escapes and reopens.
const sq = (text: string): string => `'${text.replace(/'/gu, "'\\''")}'`;

function bash(commands: readonly Command[]): string {
  const cases = commands.map((c) => `    ${c.name}) flags=${sq(words([...flagsOf(c.flags), ...GLOBALS]))} ;;`).join('\n');
  const valued = [...GLOBALS, ...commands.flatMap((c) => flagsOf(c.flags))].filter((f) => f.takesValue).map((f) => `--${f.name}`);
  return `# vbox-balloon completion for bash: source <(vbox-balloon completion bash)
_vbox_balloon() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} cmd="" i flags
  case " ${[...new Set(valued)].join(' ')} " in
    *" $prev "*) COMPREPLY=(); return ;;
  esac
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      -*) ;;
      *) cmd=\${COMP_WORDS[i]}; break ;;
    esac
  done
  case $cmd in
${cases}
    *) COMPREPLY=($(compgen -W ${sq(`${commands.map((c) => c.name).join(' ')} help ${words(GLOBALS)}`)} -- "$cur")); return ;;
  esac
  COMPREPLY=($(compgen -W "$flags" -- "$cur"))
}
complete -o default -F _vbox_balloon vbox-balloon
`;
}

function zshSpec(f: Flag): string {
  const long = `--${f.name}${f.takesValue ? '=' : ''}`;
  const value = f.takesValue ? `:${f.name}:` : '';
  return f.short === undefined ? sq(`${long}${value}`) : `${sq(`(-${f.short} --${f.name})`)}{-${f.short},--${f.name}}${value === '' ? '' : sq(value)}`;
}

function zsh(commands: readonly Command[]): string {
  const described = commands.map((c) => sq(`${c.name}:${c.summary.replace(/:/gu, '\\:')}`)).join('\n    ');
  const cases = commands.map((c) => `    ${c.name}) _arguments -s ${[...flagsOf(c.flags), ...GLOBALS].map(zshSpec).join(' ')} '*:argument:_default' ;;`).join('\n');
  return `#compdef vbox-balloon
# vbox-balloon completion for zsh: source <(vbox-balloon completion zsh), or save it as _vbox-balloon in $fpath
_vbox_balloon() {
  local -a commands
  commands=(
    ${described}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  case $words[2] in
${cases}
  esac
}
compdef _vbox_balloon vbox-balloon
`;
}

function fishFlag(f: Flag, condition: string): string {
  return `complete -c vbox-balloon${condition} -l ${f.name}${f.short === undefined ? '' : ` -s ${f.short}`}${f.takesValue ? ' -r' : ''}`;
}

function fish(commands: readonly Command[]): string {
  const names = commands.map((c) => c.name).join(' ');
  return [
    '# vbox-balloon completion for fish: vbox-balloon completion fish > ~/.config/fish/completions/vbox-balloon.fish',
    'complete -c vbox-balloon -f',
    ...commands.map((c) => `complete -c vbox-balloon -n 'not __fish_seen_subcommand_from ${names}' -a ${c.name} -d ${sq(c.summary).replace(/'\\''/gu, "\\'")}`),
    ...GLOBALS.map((f) => fishFlag(f, '')),
    ...commands.flatMap((c) => flagsOf(c.flags).map((f) => fishFlag(f, ` -n '__fish_seen_subcommand_from ${c.name}'`))),
    '',
  ].join('\n');
}

/** The completion script for `shell`, from the command table. */
export function completionScript(shell: Shell, commands: readonly Command[]): string {
  return shell === 'bash' ? bash(commands) : shell === 'zsh' ? zsh(commands) : fish(commands);
}
