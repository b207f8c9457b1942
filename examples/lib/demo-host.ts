// Shared by the examples: a simulated host by default, the real VBoxManage with --real.
import { BalloonController, InMemoryVBoxManageClient, type BalloonEvent } from 'vbox-balloon';

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
  /** The simulated host, when not --real. */
  readonly sim: InMemoryVBoxManageClient | null;
}

/** `--real` talks to the VBoxManage on this machine; otherwise a simulated host. */
export function connect(argv: readonly string[], onEvent?: (e: BalloonEvent) => void): Connection {
  const real = argv.includes('--real');
  const names = argv.filter((a) => a !== '--real' && a !== '--');
  if (real) {
    return { controller: BalloonController.local(onEvent === undefined ? {} : { onEvent }), real, names, sim: null };
  }
  const sim = demoHost();
  return { controller: new BalloonController({ client: sim, ...(onEvent === undefined ? {} : { onEvent }) }), real, names, sim };
}

/** Say why VBoxManage cannot be used, and stop. */
export function exitWith(message: string): never {
  console.error(message);
  process.exit(1);
}
