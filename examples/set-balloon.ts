// Set one VM's live balloon and wait for the guest to get there, with a progress line.
//   npx tsx examples/set-balloon.ts [vm] [sizeMb]           a simulated host whose guests inflate 512 MB/s
//   npx tsx examples/set-balloon.ts --real <vm> <sizeMb>    the VBoxManage on this machine
import { BalloonController, InMemoryVBoxManageClient, localController } from 'vbox-balloon';
import { exitWith } from './lib/demo-host.js';

const args = process.argv.slice(2);
const real = args.includes('--real');
const [vm = 'web-1', size = '1024'] = args.filter((a) => a !== '--real' && a !== '--');
const sizeMb = Number(size);

let controller: BalloonController;
let stopClock = (): void => undefined;
if (real) {
  controller = localController();
} else {
  const sim = new InMemoryVBoxManageClient({ vms: [{ name: 'web-1', state: 'running', memoryMb: 4096, usedMb: 1024 }], balloonRateMbPerSec: 512 });
  // The simulated guest inflates as real time passes.
  const timer = setInterval(() => sim.advanceTime(100), 100);
  stopClock = () => { clearInterval(timer); };
  controller = new BalloonController({ client: sim });
}

const result = await controller.setBalloon(vm, sizeMb, {
  wait: {
    timeoutMs: 30_000,
    pollMs: real ? 1000 : 250,
    onProgress: ({ actualMb, elapsedMs }) => { console.log(`waiting: ${actualMb ?? '?'}/${sizeMb} MB after ${(elapsedMs / 1000).toFixed(1)} s`); },
  },
});
stopClock();
if (result.isErr()) exitWith(result.error.message);
const { fromMb, toMb, wait } = result.value;
console.log(`${vm}: balloon ${fromMb} -> ${toMb} MB; ${wait?.reached === true ? `reached ${wait.actualMb ?? '?'} MB` : `not reached in time (guest at ${wait?.actualMb ?? '?'} MB)`}`);
