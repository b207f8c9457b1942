import { readdirSync, readFileSync } from 'node:fs';

/** ssh processes (clients or ControlMasters) still alive that use one of our private control directories. */
export function sshLeftovers(): string[] {
  const out: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmd[0]?.endsWith('ssh') === true && cmd.some((a) => /ControlPath=.*\/vbb-/u.test(a))) out.push(`${entry}: ${cmd.join(' ')}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
