import { readdirSync, readFileSync } from 'node:fs';

/** ssh processes (clients or ControlMasters) still alive that use one of our private control directories. */
export function sshLeftovers(): string[] {
  const out: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const client = cmd[0]?.endsWith('ssh') === true && cmd.some((a) => /ControlPath=.*\/vbb-/u.test(a));
      // A ControlMaster renames itself "ssh: /tmp/vbb-…/<hash> [mux]".
      const master = /^ssh: .*\/vbb-.*\[mux\]/u.test(cmd[0] ?? '');
      if (!(client || master)) continue;
      // Only this test worker's: files running in parallel in other workers have ssh processes of their own.
      const mine = process.env['VITEST_POOL_ID'];
      if (mine !== undefined && !readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`VITEST_POOL_ID=${mine}`)) continue;
      out.push(`${entry}: ${cmd.join(' ').slice(0, 200)}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * Wait until no ssh of ours is left. `close()` ends a client's shared connection at once; a second master that lost
 * the race for the same socket (two clients connecting at the same moment) ends after its ControlPersist, so the
 * tests, which use 5 s, wait up to 8 s.
 */
export async function noSshLeft(ms = 8000): Promise<string[]> {
  const end = Date.now() + ms;
  for (;;) {
    const left = sshLeftovers();
    if (left.length === 0 || Date.now() > end) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}
