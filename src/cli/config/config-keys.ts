// The configuration file's keys: one table that the reader, `config print`, the JSON Schema and the docs follow.
// A key is named as the autopilot flag that overrides it (`max-change` is `--max-change`). Pure: no I/O.

/** What a key's value is. */
export type KeyKind = 'size' | 'size-or-percent' | 'duration' | 'boolean' | 'choice' | 'address' | 'path' | 'limits' | 'hosts';

/** One key of the file. */
export interface ConfigKey {
  readonly key: string;
  readonly kind: KeyKind;
  /** The values a `choice` takes. */
  readonly choices?: readonly string[];
  /** A knob of one policy only. */
  readonly policy?: 'budget' | 'balloonctrl';
  /** The value when the key is absent, as written in the file; `null`: none (or the policy's own, in `note`). */
  readonly default: string | boolean | null;
  /** A good value, for messages. */
  readonly example: string;
  /** One line for `config print`, the schema and the docs. */
  readonly doc: string;
  /** A change takes effect on reload (SIGHUP); otherwise at the next restart. */
  readonly reload: boolean;
}

/** The configuration file's format version this release reads. */
export const CONFIG_VERSION = 1;

/** Every key but `version`, in the order `config print` shows them. */
export const CONFIG_KEYS: readonly ConfigKey[] = [
  { key: 'policy', kind: 'choice', choices: ['budget', 'balloonctrl'], default: null, example: 'budget', doc: 'How to size balloons (required): budget or balloonctrl', reload: true },
  { key: 'budget', kind: 'size-or-percent', policy: 'budget', default: '80%', example: '80%', doc: 'The budget for the memory backing the guests: a size (24G) or a share of host RAM (80%)', reload: true },
  { key: 'max-change', kind: 'size', policy: 'budget', default: null, example: '100M', doc: "The most one balloon moves per tick (default: 1/64 of the VM's RAM, at least 100M)", reload: true },
  { key: 'deadband', kind: 'size', policy: 'budget', default: '10M', example: '10M', doc: 'Smaller changes are not made', reload: true },
  { key: 'guest-min-free', kind: 'size', policy: 'budget', default: '256M', example: '256M', doc: 'Free memory a balloon never takes from a guest', reload: true },
  { key: 'increment', kind: 'size', policy: 'balloonctrl', default: '256M', example: '256M', doc: 'Inflate step (VBoxBalloonCtrl --balloon-inc)', reload: true },
  { key: 'decrement', kind: 'size', policy: 'balloonctrl', default: '128M', example: '128M', doc: 'Deflate step (--balloon-dec)', reload: true },
  { key: 'lower-limit', kind: 'size', policy: 'balloonctrl', default: '128M', example: '128M', doc: 'Guest free memory below which the balloon deflates (--balloon-lower-limit)', reload: true },
  { key: 'balloon-max', kind: 'size', policy: 'balloonctrl', default: '0', example: '0', doc: "A cap on every VM's balloon; 0 for none (--balloon-max)", reload: true },
  { key: 'safety-margin', kind: 'size', policy: 'balloonctrl', default: '1024M', example: '1024M', doc: 'Host memory kept free when deflating (--balloon-safety-margin)', reload: true },
  { key: 'interval', kind: 'duration', default: '10s', example: '30s', doc: 'Time between ticks', reload: true },
  { key: 'max-backoff', kind: 'duration', default: '5m', example: '5m', doc: 'While every VBoxManage call fails, the time between ticks doubles up to this', reload: true },
  { key: 'dry-run', kind: 'boolean', default: false, example: 'true', doc: 'Plan and log, change nothing', reload: true },
  { key: 'limits', kind: 'limits', default: null, example: 'web-1: { max-balloon: 1G }', doc: 'Per-VM limits by VM name or UUID: max-balloon, min-memory, shares, enabled', reload: true },
  { key: 'hosts', kind: 'hosts', default: null, example: '[ "lab-1 ssh://vbox@lab-1.example.net" ]', doc: 'Hosts to run on over ssh, "[NAME] ssh://USER@HOST[:PORT]" each; absent: this machine', reload: false },
  { key: 'metrics', kind: 'address', default: null, example: '127.0.0.1:9464', doc: 'Serve Prometheus metrics and /healthz on HOST:PORT (needs prom-client); absent: none', reload: false },
  { key: 'log-format', kind: 'choice', choices: ['text', 'json'], default: 'text', example: 'json', doc: 'Log lines as text (with syslog priority prefixes under systemd) or one JSON object a line', reload: true },
  { key: 'log-level', kind: 'choice', choices: ['error', 'warning', 'info', 'debug'], default: 'info', example: 'info', doc: 'The least important lines logged; debug logs every tick', reload: true },
  { key: 'state-dir', kind: 'path', default: null, example: '/var/lib/vbox-balloon', doc: 'Where the autopilot keeps what it asked for across restarts (default: $STATE_DIRECTORY, else the XDG state directory)', reload: false },
  { key: 'on-exit', kind: 'choice', choices: ['keep', 'restore'], default: 'keep', example: 'restore', doc: 'On stop, leave the balloons where they are (keep) or put back those the autopilot changed (restore)', reload: true },
];

/** The keys of one VM's limits, with the SDK field each one sets. */
export const LIMIT_KEYS: readonly { readonly key: string; readonly field: 'maxBalloonMb' | 'minMb' | 'shares' | 'enabled'; readonly kind: 'size' | 'count' | 'boolean'; readonly example: string; readonly doc: string }[] = [
  { key: 'max-balloon', field: 'maxBalloonMb', kind: 'size', example: '1G', doc: "The most this VM's balloon takes (balloonctrl: the VM's requested size; unset or 0: no ballooning)" },
  { key: 'min-memory', field: 'minMb', kind: 'size', example: '512M', doc: 'Memory always left to the guest (budget policy)' },
  { key: 'shares', field: 'shares', kind: 'count', example: '2000', doc: 'Weight when memory is shared out (budget policy; default 1000, 0 leaves the VM alone)' },
  { key: 'enabled', field: 'enabled', kind: 'boolean', example: 'false', doc: "false deflates the VM's balloon to 0 and keeps it there" },
];

/** The key of that name. */
export const configKey = (key: string): ConfigKey | undefined => CONFIG_KEYS.find((k) => k.key === key);
