// Where the shared ssh connection's socket goes. A Unix socket path is limited to 104 bytes on macOS and the BSDs
// (108 on Linux) with its NUL, and OpenSSH first binds the master at `ControlPath.XXXXXXXXXXXXXXXX` (17 bytes more)
// before renaming it; ssh also expands `%` tokens in ControlPath and splits the option at white space. So the
// directory is short and plain, checked here, with fallbacks when TMPDIR is not (macOS's is about 49 characters).

/** The socket limit we keep to: the smallest (macOS, BSD), less the NUL. @internal */
export const SOCKET_PATH_MAX = 103;
// OpenSSH's temporary name for a new master socket: ControlPath + '.' + 16 random characters.
const SSH_TEMP_SUFFIX = 17;
// mkdtemp(parent/vbb-) makes parent/vbb-XXXXXX.
const PRIVATE_DIR = 'vbb-XXXXXX';
/** The socket's name in a private directory of one client (one host, user and port): short, nothing to expand. @internal */
export const PRIVATE_SOCKET = 'cm';
/** The socket's name in a directory the caller gives (shared by several hosts): OpenSSH's hash of the connection. @internal */
export const SHARED_SOCKET = '%C';
// %C expands to 40 hexadecimal characters.
const EXPANDED = { [PRIVATE_SOCKET]: PRIVATE_SOCKET.length, [SHARED_SOCKET]: 40 } as const;

const PLAIN = /^\/[A-Za-z0-9/._-]*$/u;
const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

/** Why `dir` cannot hold the control socket `name`, or `null` when it can. @internal */
export function controlDirProblem(dir: string, name: keyof typeof EXPANDED): string | null {
  if (!PLAIN.test(dir)) return 'is not an absolute path of letters, digits, ".", "_", "-" and "/" (ssh would read a space or "%" in ControlPath)';
  const length = utf8Length(dir) + 1 + EXPANDED[name] + SSH_TEMP_SUFFIX;
  return length > SOCKET_PATH_MAX ? `is too long for a socket in it (${length} of at most ${SOCKET_PATH_MAX} bytes with ssh's temporary name)` : null;
}

/**
 * Where to make the private socket directory: the first of `candidates` (TMPDIR, then /tmp, then HOME) in which
 * `vbb-XXXXXX/cm` fits; `null` when none does. @internal
 */
export function privateDirParent(candidates: readonly string[]): string | null {
  return candidates.map((c) => (c.length > 1 ? c.replace(/\/+$/u, '') : c)).find((c) => controlDirProblem(`${c === '/' ? '' : c}/${PRIVATE_DIR}`, PRIVATE_SOCKET) === null) ?? null;
}
