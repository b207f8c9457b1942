// A table of every VM's balloon status.
//   npx tsx examples/inspect-host.ts            a simulated host
//   npx tsx examples/inspect-host.ts --real     the VBoxManage on this machine
import { connect, exitWith } from './lib/demo-host.js';
import { statusTable } from './lib/print-table.js';

const { controller } = connect(process.argv.slice(2));
const statuses = await controller.inspectAll();
if (statuses.isErr()) exitWith(statuses.error.message);
console.log(statusTable(statuses.value));
for (const s of statuses.value) {
  if (s.unreported !== null) console.log(`${s.name}: no guest figures: ${s.unreported}`);
}
