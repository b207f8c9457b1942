// Start one more VM on a full host without shutting anything down, then give the memory back when it stops.
//   npx tsx examples/make-room.ts                 (a simulated 24 GB host whose running guests hold all it has)
//   npx tsx examples/make-room.ts --real <vm>     (plans and, after asking, starts <vm> on this machine)
import { BalloonController, InMemoryVBoxManageClient, localController } from 'vbox-balloon';
import { confirmReal, exitWith } from './lib/demo-host.js';

const argv = process.argv.slice(2);
const real = argv.includes('--real');
const sim = new InMemoryVBoxManageClient({
  host: { os: 'Linux', memoryMb: 24_576, baseUsedMb: 2048 },
  vms: [
    { name: 'web-1', state: 'running', memoryMb: 8192, usedMb: 2000 },
    { name: 'web-2', state: 'running', memoryMb: 8192, usedMb: 3000 },
    { name: 'ci-1', state: 'running', memoryMb: 4096, usedMb: 3000 },
    { name: 'build-7', state: 'poweroff', memoryMb: 6144 },
  ],
});
const vbox = real ? localController() : new BalloonController({ client: sim });
const vm = real ? (argv.find((a) => !a.startsWith('-')) ?? exitWith('Name the VM to start: --real <vm>')) : 'build-7';
const options = { keepGuestFreeMb: 512 };

await vbox.inspectAll(); // the first look enables the guests' metrics
if (!real) {
  const tooSoon = await sim.startVm('build-7');
  if (tooSoon.isErr()) console.log(`A plain start fails: ${tooSoon.error.message}`);
}

const plan = await vbox.planStart(vm, options);
if (plan.isErr()) exitWith(plan.error.message);
console.log(`Plan for ${vm} (${plan.value.fits ? 'it fits' : `${plan.value.missingMb} MB missing`}):`);
for (const line of plan.value.explanation) console.log(`  ${line}`);
if (real) await confirmReal(plan.value.commands.map((c) => `VBoxManage ${c.join(' ')}`), argv.includes('--yes'));

const started = await vbox.startWithRoom(vm, { ...options, pollMs: 100 });
if (started.isErr()) exitWith(started.error.message);
const r = started.value;
console.log(`Started ${r.vm} (${r.state}) after ${r.changes.length} balloon changes: ${r.changes.map((c) => `${c.vm} ${c.fromMb} -> ${c.toMb} MB`).join(', ')}.`);
if (real) {
  console.log(`When ${r.vm} has stopped: vbox-balloon give-back ${r.vm} (or controller.giveBack(result)).`);
  process.exit(0);
}

// Someone resizes web-2's balloon by hand meanwhile: giving back leaves that one alone.
await vbox.setBalloon('web-2', 1024);
sim.powerOffVm('build-7');
const back = await vbox.giveBack(r);
if (back.isErr()) exitWith(back.error.message);
console.log(`Gave back: ${back.value.changes.map((c) => `${c.vm} ${c.fromMb} -> ${c.toMb} MB`).join(', ') || 'nothing'}.`);
for (const s of back.value.skipped) console.log(`Left alone: ${s.vm}: ${s.reason}.`);
