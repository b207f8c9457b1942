import { stringify } from 'yaml';
import type { VmLimits } from '../../index.js';
import type { Command, CommandContext } from '../command.js';
import { CONFIG_KEYS, CONFIG_VERSION, LIMIT_KEYS } from '../config/config-keys.js';
import { configJsonSchema } from '../config/json-schema.js';
import { loadSettings, printProblems } from '../config/load-settings.js';
import { SERVICE_FLAGS, type Settings } from '../config/settings.js';
import { EXIT } from '../exit-codes.js';
import { POLICY_FLAGS } from '../policy-flags.js';
import { isUsage } from '../sizes.js';

const SUBCOMMANDS = ['check', 'print', 'schema'] as const;

export const config: Command = {
  name: 'config',
  summary: "Check the autopilot's settings file, print the settings in effect, or print its JSON Schema",
  usage: 'vbox-balloon config check FILE | config print [FILE] [autopilot flags] | config schema',
  flags: { ...POLICY_FLAGS, ...SERVICE_FLAGS },
  help: `config check FILE   Read and check FILE as 'autopilot --config FILE' would, without touching
                    VirtualBox: exit 0, or 2 with every problem listed (FILE:LINE:COL, the key, a good
                    value). Run it before 'systemctl reload'.
config print [FILE] The settings the autopilot would run with: the defaults, then FILE, then the
                    autopilot flags given here (flags override the file), as a settings file
                    (--json: as JSON). Without FILE: the defaults and the flags.
config schema       The JSON Schema of the file (the package ships it as
                    schema/vbox-balloon.schema.json), for an editor's YAML support.

Examples:
  vbox-balloon config check /etc/vbox-balloon/vbox.yaml
  vbox-balloon config print /etc/vbox-balloon/vbox.yaml --interval 30s
  vbox-balloon config schema > vbox-balloon.schema.json

Output:
  /etc/vbox-balloon/vbox.yaml: good (budget policy, every 10 s, limits for 2 VMs)`,
  async run(ctx) {
    const [sub, file, extra] = ctx.args.positionals;
    if (sub === undefined) return ctx.usage('missing what to do: check FILE, print [FILE] or schema');
    if (!(SUBCOMMANDS as readonly string[]).includes(sub)) return ctx.usage(`${JSON.stringify(sub)} is not something config does; use check, print or schema`);
    if (extra !== undefined || (sub === 'schema' && file !== undefined)) return ctx.usage(`unexpected argument ${JSON.stringify(extra ?? file)}`);
    if (sub === 'schema') {
      ctx.ui.print(JSON.stringify(configJsonSchema(), null, 2));
      return EXIT.ok;
    }
    if (sub === 'check' && file === undefined) return ctx.usage('config check needs the FILE to check');
    if (file !== undefined && ctx.args.values['config'] !== undefined) return ctx.usage('name the file once: config check FILE (not --config as well)');
    const on: CommandContext = file === undefined ? ctx : { ...ctx, args: { ...ctx.args, values: { ...ctx.args.values, config: file } } };
    const loaded = await loadSettings(on);
    if (isUsage(loaded)) {
      if (sub === 'print' || file === undefined) return loaded;
      printProblems(ctx, { file, problems: [loaded.message.replace(/^--config /u, '')] }, 'It would not start.');
      return EXIT.usage;
    }
    if ('problems' in loaded) {
      printProblems(ctx, loaded, 'It would not start.');
      return EXIT.usage;
    }
    const { settings } = loaded;
    if (sub === 'check') {
      if (ctx.ui.json) ctx.ui.printJson({ file, ok: true, settings: asFile(settings) });
      else ctx.ui.print(`${file ?? ''}: good (${summary(settings)})`);
      return EXIT.ok;
    }
    if (ctx.ui.json) ctx.ui.printJson(asFile(settings));
    else ctx.ui.print(printed(settings, file ?? null));
    return EXIT.ok;
  },
};

function summary(s: Settings): string {
  const n = Object.keys(s.setup.limits ?? {}).length;
  const every = s.shown['interval'];
  return `${s.setup.policy.kind} policy, every ${typeof every === 'string' ? every : '10s'}${s.setup.dryRun ? ', dry run' : ''}${n === 0 ? '' : `, limits for ${n} VM${n === 1 ? '' : 's'}`}${s.hosts.length === 0 ? '' : `, ${s.hosts.length} host${s.hosts.length === 1 ? '' : 's'}`}`;
}

// Per-VM limits back in the file's words: max-balloon: 1024M.
function limitsAsFile(limits: Readonly<Record<string, VmLimits>>): Record<string, Record<string, string | number | boolean>> {
  return Object.fromEntries(
    Object.entries(limits).map(([vm, l]) => [
      vm,
      Object.fromEntries(LIMIT_KEYS.flatMap((k) => (l[k.field] === undefined ? [] : [[k.key, k.kind === 'size' ? `${String(l[k.field])}M` : (l[k.field] as number | boolean)]]))),
    ]),
  );
}

/** The settings as a settings file's object (every key with a value, defaults included). */
function asFile(s: Settings): Record<string, unknown> {
  const out: Record<string, unknown> = { version: CONFIG_VERSION };
  for (const k of CONFIG_KEYS) {
    const v = s.shown[k.key];
    if (v === undefined) continue;
    out[k.key] = k.kind === 'limits' ? limitsAsFile(v as Readonly<Record<string, VmLimits>>) : v;
  }
  return out;
}

// A settings file: each key with its value, "# default" where nobody set it, and the unset ones as comments.
function printed(s: Settings, file: string | null): string {
  const lines = [`# The settings 'vbox-balloon autopilot' runs with: the defaults${file === null ? '' : `, then ${file}`}, then the flags.`, `version: ${CONFIG_VERSION}`];
  const obj = asFile(s);
  for (const k of CONFIG_KEYS) {
    if (k.policy !== undefined && k.policy !== s.setup.policy.kind) continue;
    if (!(k.key in obj)) {
      lines.push(`# ${k.key}:  (unset) ${k.doc}`);
      continue;
    }
    const text = stringify({ [k.key]: obj[k.key] }, { lineWidth: 0 }).trimEnd();
    lines.push(s.defaulted.has(k.key) ? `${text}  # default` : text);
  }
  return lines.join('\n');
}
