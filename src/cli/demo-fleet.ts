// The simulated host behind --simulate: a small fleet that shows every case a real one has.
import { InMemoryVBoxManageClient } from '../index.js';

/** How fast the simulated guests inflate and deflate their balloons. */
const RATE_MB_PER_SEC = 512;

/**
 * A 32 GB Linux host with five VMs: two web servers with room to give, a busy build VM, a database with large pages
 * on (ballooning refused), a VM that is off, and one without Guest Additions.
 */
export function demoFleet(): InMemoryVBoxManageClient {
  return new InMemoryVBoxManageClient({
    host: { os: 'Linux', osVersion: '6.8.0', memoryMb: 32_768, baseUsedMb: 3072 },
    balloonRateMbPerSec: RATE_MB_PER_SEC,
    vms: [
      { name: 'web-1', state: 'running', memoryMb: 4096, usedMb: 1024 },
      { name: 'web-2', state: 'running', memoryMb: 4096, usedMb: 2600 },
      { name: 'build-1', state: 'running', memoryMb: 8192, usedMb: 6000 },
      { name: 'db-1', state: 'running', memoryMb: 8192, usedMb: 5000, largePages: true },
      { name: 'win-1', state: 'running', memoryMb: 4096, usedMb: 2048, guestAdditionsRunLevel: 0, osType: 'Windows 10 (64-bit)' },
      { name: 'spare-1', state: 'poweroff', memoryMb: 2048 },
    ],
  });
}

/** Let simulated time follow real time, so that balloons move while a command waits. Returns a stop function. */
export function runSimulatedClock(client: InMemoryVBoxManageClient, stepMs = 100): () => void {
  const timer = setInterval(() => client.advanceTime(stepMs), stepMs);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
