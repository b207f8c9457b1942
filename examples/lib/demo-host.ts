// Shared by the examples: a simulated host by default, the real VBoxManage with --real.
import { BalloonController, InMemoryVBoxManageClient, localController, type BalloonEvent } from 'vbox-balloon';

/** Three running VMs and one that is off, on a 32 GB Linux host. */
export function demoHost(): InMemoryVBoxManageClient {
  return new InMemoryVBoxManageClient({
    host: { os: 'Linux', memoryMb: 32768 },
    vms: [
      { name: 'web-1', state: 'running', memoryMb: 4096, usedMb: 1024 },
      { name: 'web-2', state: 'running', memoryMb: 4096, usedMb: 2600 },
      { name: 'build-1', state: 'running', memoryMb: 8192, usedMb: 1500 },
      { name: 'db-1', state: 'poweroff', memoryMb: 2048, largePages: true },
    ],
  });
}

export interface Connection {
  readonly controller: BalloonController;
  readonly real: boolean;
  /** VM names given on the command line (after the flags). */
  readonly names: readonly string[];
  /** `--yes`: do not ask before changing real VMs. */
  readonly yes: boolean;
  /** The simulated host, when not --real. */
  readonly sim: InMemoryVBoxManageClient | null;
}

/** `--real` talks to the VBoxManage on this machine; otherwise a simulated host. */
export function connect(argv: readonly string[], onEvent?: (e: BalloonEvent) => void): Connection {
  const real = argv.includes('--real');
  const yes = argv.includes('--yes') || argv.includes('-y');
  const names = argv.filter((a) => !['--real', '--', '--yes', '-y'].includes(a));
  if (real) {
    return { controller: localController(onEvent === undefined ? {} : { onEvent }), real, names, yes, sim: null };
  }
  const sim = demoHost();
  return { controller: new BalloonController({ client: sim, ...(onEvent === undefined ? {} : { onEvent }) }), real, names, yes, sim };
}

/**
 * Before changing real VMs: say what will be done and ask (on a terminal), or require --yes (elsewhere). Exits 2
 * when the answer is no or cannot be asked.
 */
export async function confirmReal(plan: readonly string[], yes: boolean): Promise<void> {
  console.log(`This changes REAL VMs on this machine:\n${plan.map((p) => `  - ${p}`).join('\n')}`);
  if (yes) return;
  if (!process.stdin.isTTY) {
    console.error('Not a terminal, so nothing was asked and nothing was changed: pass --yes to go ahead.');
    process.exit(2);
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = (await rl.question('Go ahead? [y/N] ')).trim().toLowerCase();
  rl.close();
  if (answer !== 'y' && answer !== 'yes') {
    console.error('Nothing was changed.');
    process.exit(2);
  }
}

/** Say why VBoxManage cannot be used, and stop. */
export function exitWith(message: string): never {
  console.error(message);
  process.exit(1);
}
