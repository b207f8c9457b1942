import { InMemoryVBoxManageClient, type InMemoryVmSpec } from '../../src/index.js';

/** A clock that does not sleep: each wait moves the simulated host's time instead (the public `virtualClock`). */
export { virtualClock } from '../../src/index.js';

/** Six running VMs on a 32 GB host, each with a workload (used MB over simulated ms). */
export function sixVmHost(workloads: Record<string, (t: number) => number>, extra: readonly InMemoryVmSpec[] = []): InMemoryVBoxManageClient {
  const sim = new InMemoryVBoxManageClient({
    host: { memoryMb: 32768 },
    balloonRateMbPerSec: 64,
    vms: [
      { name: 'web-1', state: 'running', memoryMb: 4096 },
      { name: 'web-2', state: 'running', memoryMb: 4096 },
      { name: 'db-1', state: 'running', memoryMb: 8192 },
      { name: 'ci-1', state: 'running', memoryMb: 6144 },
      { name: 'ci-2', state: 'running', memoryMb: 6144 },
      { name: 'cache-1', state: 'running', memoryMb: 2048 },
      ...extra,
    ],
  });
  for (const [vm, used] of Object.entries(workloads)) sim.setWorkload(vm, used);
  return sim;
}

export const steady: Record<string, (t: number) => number> = {
  'web-1': () => 1200,
  'web-2': () => 900,
  'db-1': () => 5000,
  'ci-1': () => 1500,
  'ci-2': () => 2500,
  'cache-1': () => 600,
};
