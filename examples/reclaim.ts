// Take memory back from idle guests for other VMs: plan with a dry run, apply, and see what cannot be had.
//   npx tsx examples/reclaim.ts [megabytes]
//   npx tsx examples/reclaim.ts --real <megabytes> [vm …]
import { connect, exitWith } from './lib/demo-host.js';

const { controller, names } = connect(process.argv.slice(2), (e) => {
  if (e.type === 'warning') console.log(`  note: ${e.vm ?? ''} ${e.message}`);
});
const [amount = '3000', ...from] = names;
const megabytes = Number(amount);
const options = { megabytes, keepGuestFreeMb: 512, ...(from.length > 0 ? { from } : {}) };

await controller.inspectAll(); // the first look enables the guest metrics
const plan = await controller.reclaim({ ...options, dryRun: true });
if (plan.isErr()) exitWith(plan.error.message);
console.log(`Plan for ${megabytes} MB (each guest keeps 512 MB free):`);
for (const p of plan.value.plan) console.log(`  ${p.vm}: guest has ${p.guestFreeMb} MB free; balloon ${p.fromMb} -> ${p.toMb} MB (+${p.takeMb} MB)`);

const done = await controller.reclaim(options);
if (done.isErr()) exitWith(done.error.message);
console.log(`Reclaimed ${done.value.reclaimedMb} MB with ${done.value.applied.length} VBoxManage controlvm calls.`);

const tooMuch = await controller.reclaim({ ...options, megabytes: 1_000_000 });
if (tooMuch.isErr() && tooMuch.error.code === 'RECLAIM_SHORTFALL') console.log(`Asking for more: ${tooMuch.error.message}`);

const back = await controller.restore();
if (back.isOk()) console.log(`Restored ${back.value.changes.length} VMs to their default balloon.`);
