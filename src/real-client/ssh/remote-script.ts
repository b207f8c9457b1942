// The one shell command line run on a remote host for one VBoxManage call. OpenSSH joins the remote arguments into
// one string for the remote login shell, so we build that string ourselves, with every argument quoted.
import { posixQuote } from './posix-quote.js';

/** The places VirtualBox installs VBoxManage into, tried after `command -v` on the remote host. @internal */
export const REMOTE_VBOXMANAGE_PLACES = ['/usr/bin/VBoxManage', '/usr/local/bin/VBoxManage', '/usr/lib/virtualbox/VBoxManage', '/opt/VirtualBox/VBoxManage', '/Applications/VirtualBox.app/Contents/MacOS/VBoxManage'] as const;

/** What the remote script prints on stderr, and exits 127 with, when it finds no VBoxManage. @internal */
export const REMOTE_NOT_FOUND = 'vbox-balloon: VBoxManage was not found on the remote host';

/** The probe that tells a POSIX shell (which prints `vbox-balloon-posix-2`) from cmd.exe or PowerShell. @internal */
export const POSIX_PROBE = { command: 'echo vbox-balloon-posix-$((1+1))', expect: 'vbox-balloon-posix-2' } as const;

/**
 * The remote command for `VBoxManage <args>`: find VBoxManage (the given path, else `command -v`, else the standard
 * places), run it in the fixed English locale with stdin from /dev/null, under `timeout -s KILL` where the host has
 * it, in a process group of its own, and kill that group when the ssh session ends (its stdin reaches EOF), so that a
 * timed-out or aborted call leaves no VBoxManage (or anything it started) behind. @internal
 */
export function remoteScript(args: readonly string[], options: { readonly vboxManagePath?: string | undefined; readonly timeoutMs: number }): string {
  const seconds = Math.max(1, Math.ceil(options.timeoutMs / 1000) + 1);
  const find =
    options.vboxManagePath === undefined
      ? `v=$(command -v VBoxManage 2>/dev/null || command -v vboxmanage 2>/dev/null); for p in ${REMOTE_VBOXMANAGE_PLACES.map(posixQuote).join(' ')}; do [ -n "$v" ] && break; [ -x "$p" ] && v=$p; done`
      : `v=${posixQuote(options.vboxManagePath)}`;
  const quoted = args.map(posixQuote).join(' ');
  return [
    find,
    `[ -n "$v" ] && [ -x "$v" ] || { echo ${posixQuote(REMOTE_NOT_FOUND)} "($v)" >&2; exit 127; }`,
    'LC_ALL=C.UTF-8; LANG=C.UTF-8; LANGUAGE=en; export LC_ALL LANG LANGUAGE',
    't=; command -v timeout >/dev/null 2>&1 && t="timeout -s KILL ' + String(seconds) + '"',
    // The watcher reads the session's stdin (saved as fd 3): EOF means the caller is gone, so VBoxManage goes too.
    // VBoxManage runs in a process group of its own (setsid, where the host has it), so that the group can be killed.
    'g=; command -v setsid >/dev/null 2>&1 && g=setsid',
    `exec 3<&0; $g $t "$v" ${quoted} </dev/null & p=$!; { read -r _ <&3; kill -KILL -$p 2>/dev/null || kill -KILL $p 2>/dev/null; } & w=$!; wait $p; s=$?; kill $w 2>/dev/null; exit $s`,
  ].join('; ');
}
