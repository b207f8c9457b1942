// A private OpenSSH server on 127.0.0.1 for the remote-host tests: its own host key, a user key, a client config and
// a known_hosts file, all in a temporary directory; nothing of the machine's own ssh configuration is touched.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';

export interface TestSshd {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly dir: string;
  readonly identityFile: string;
  /** An ssh client config that trusts only this server's host key. */
  readonly configFile: string;
  readonly knownHostsFile: string;
  /** The pid of sshd. */
  readonly pid: number;
  /** Give the server a new host key (a changed host key, as the client sees it); it restarts on the same port. */
  changeHostKey(): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => { resolve(port); });
    });
  });
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => { resolve(false); });
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`sshd did not listen on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const keygen = (file: string): void => {
  rmSync(file, { force: true });
  rmSync(`${file}.pub`, { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'vbox-balloon-test', '-f', file]);
};

/** `forceCommand` replaces every remote command (sshd's ForceCommand), e.g. to act like a shell that expands nothing. */
export async function startSshd(options: { readonly forceCommand?: string } = {}): Promise<TestSshd> {
  // Short: a ControlPath socket must fit in about 104 bytes.
  const dir = mkdtempSync('/tmp/vbs-');
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const user = userInfo().username;
  const port = await freePort();
  const hostKey = join(dir, 'host_key');
  const identityFile = join(dir, 'id_user');
  keygen(hostKey);
  keygen(identityFile);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${identityFile}.pub`));
  const sshdConfig = join(dir, 'sshd_config');
  writeFileSync(
    sshdConfig,
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `AllowUsers ${user}`,
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'AllowTcpForwarding no',
      'X11Forwarding no',
      'AllowAgentForwarding no',
      'PermitTTY no',
      'MaxSessions 100',
      'MaxStartups 100:30:200',
      'LogLevel VERBOSE',
      ...(options.forceCommand === undefined ? [] : [`ForceCommand ${options.forceCommand}`]),
      // A German locale on the server side: the remote command must still run VBoxManage in English.
      'SetEnv SHLVL=1 LANG=de_DE.UTF-8',
      '',
    ].join('\n'),
  );
  const knownHostsFile = join(dir, 'known_hosts');
  const trust = (): void => { writeFileSync(knownHostsFile, `[127.0.0.1]:${port} ${readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`); };
  trust();
  const configFile = join(dir, 'ssh_config');
  writeFileSync(
    configFile,
    [`Host *`, `  UserKnownHostsFile ${knownHostsFile}`, '  GlobalKnownHostsFile /dev/null', '  StrictHostKeyChecking yes', '  LogLevel ERROR', ''].join('\n'),
  );
  let child: ChildProcess;
  const launch = async (): Promise<void> => {
    child = spawn('/usr/sbin/sshd', ['-D', '-f', sshdConfig, '-E', join(dir, 'sshd.log')], { stdio: 'ignore', detached: true });
    await waitForPort(port, 10_000);
  };
  const halt = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      process.kill(-(child.pid as number), 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    await exited;
  };
  await launch();
  return {
    host: '127.0.0.1',
    port,
    user,
    dir,
    identityFile,
    configFile,
    knownHostsFile,
    get pid() {
      return child.pid as number;
    },
    changeHostKey: async () => {
      await halt();
      keygen(hostKey); // known_hosts keeps the old key
      await launch();
    },
    stop: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
