// The tour: inspect, set a balloon, reclaim memory for other VMs, restore.
//   npx tsx examples/quickstart.ts                   a simulated host with three running VMs
//   npx tsx examples/quickstart.ts --real vm1 vm2    the same flow against the VBoxManage on this machine: it CHANGES
//                                                    those VMs' balloons (and puts them back); it asks first, or --yes
import { confirmReal, connect, exitWith } from './lib/demo-host.js';
import { statusTable } from './lib/print-table.js';

const { controller, real, names, yes } = connect(process.argv.slice(2));

const host = await controller.hostSupport();
if (host.isErr()) {
  exitWith(host.error.code === 'VBOXMANAGE_NOT_FOUND' ? `VBoxManage is not installed here.\n${host.error.message}` : host.error.message);
}
console.log(`Host: ${host.value.os}, ${host.value.memoryMb} MB RAM; ballooning ${host.value.supported ? 'supported' : `NOT supported (${host.value.reasons.join('; ')})`}`);
if (real && names.length === 0) exitWith('With --real, name the VMs to use: npm run demo -- --real vm1 vm2');
if (real) {
  // Every VM must exist before anything changes: one clear line otherwise.
  for (const name of names) {
    const found = await controller.inspect(name);
    if (found.isErr()) exitWith(found.error.message);
  }
  await confirmReal(
    [`set the live balloon of ${names[0] ?? ''} to 512 MB and wait up to 20 s`, `reclaim 256 MB from ${names.join(', ')}`, `restore ${names.join(', ')} to their default balloon`],
    yes,
  );
}

const all = await controller.inspectAll();
if (all.isErr()) exitWith(all.error.message);
const shown = (list: typeof all.value) => (real ? list.filter((s) => names.includes(s.name)) : list);
console.log('\nBefore:\n' + statusTable(shown(all.value)));

const first = real ? (names[0] ?? '') : 'web-1';
const set = await controller.setBalloon(first, 512, { wait: { timeoutMs: 20_000, pollMs: 500 } });
console.log(
  set.match(
    (c) => `\nsetBalloon: ${c.vm} ${c.fromMb} -> ${c.toMb} MB (${c.wait?.reached === true ? 'reached' : `guest at ${c.wait?.actualMb ?? '?'} MB`}) via ${c.commands.map((a) => `VBoxManage ${a.join(' ')}`).join('; ')}`,
    (e) => `\nsetBalloon failed: ${e.message}`,
  ),
);

const reclaim = await controller.reclaim({ megabytes: real ? 256 : 4096, ...(real ? { from: names } : {}) });
console.log(
  reclaim.match(
    (r) => `\nreclaim: ${r.reclaimedMb} MB from ${r.plan.map((p) => `${p.vm} (+${p.takeMb} MB, guest had ${p.guestFreeMb} MB free)`).join(', ')}`,
    (e) => `\nreclaim: ${e.message}`,
  ),
);

const after = await controller.inspectAll();
if (after.isOk()) console.log('\nAfter reclaim:\n' + statusTable(shown(after.value)));

const restored = real ? await Promise.all(names.map((n) => controller.restore(n))) : [await controller.restore()];
for (const r of restored) {
  console.log(
    r.match(
      (x) => `\nrestore: ${x.changes.map((c) => `${c.vm} ${c.fromMb} -> ${c.toMb} MB`).join(', ') || 'nothing to do'}`,
      (e) => `\nrestore failed: ${e.message}`,
    ),
  );
}
const end = await controller.inspectAll();
if (end.isOk()) console.log('\nAfter restore:\n' + statusTable(shown(end.value)));
