// The snapshots in `showvminfo --machinereadable` (and `snapshot <vm> list --machinereadable`): `SnapshotName="…"`,
// `SnapshotUUID="…"` for the first, then `SnapshotName-1`, `SnapshotName-1-1`, … for the children, in tree order;
// `CurrentSnapshotName`/`CurrentSnapshotUUID` for the current one.
import type { VmSnapshot } from '../../domain/vm-info.js';
import { isBareUuid } from './scan.js';

const NAME = 'SnapshotName';
const UUID = 'SnapshotUUID';

// `SnapshotName`, `SnapshotName-1`, `SnapshotName-1-2`: the suffix is `-` and digits, any number of times.
function nodeSuffix(key: string): string | null {
  if (!key.startsWith(NAME)) return null;
  const rest = key.slice(NAME.length);
  for (const part of rest === '' ? [] : rest.slice(1).split('-')) if (part === '' || !/^\d{1,6}$/u.test(part)) return null;
  return rest === '' || rest.startsWith('-') ? rest : null;
}

const bare = (uuid: string | undefined): string | null => {
  if (uuid === undefined) return null;
  const u = uuid.startsWith('{') && uuid.endsWith('}') ? uuid.slice(1, -1) : uuid;
  return isBareUuid(u) ? u.toLowerCase() : null;
};

/**
 * The snapshots a machine-readable answer lists, in the order printed (tree order), and the current one. A snapshot
 * whose UUID is missing or not a UUID is left out: a snapshot is only ever named to VirtualBox by a checked value.
 * @internal
 */
export function parseSnapshots(raw: ReadonlyMap<string, string>): { readonly snapshots: VmSnapshot[]; readonly current: VmSnapshot | null } {
  const snapshots: VmSnapshot[] = [];
  for (const [key, name] of raw) {
    const suffix = nodeSuffix(key);
    if (suffix === null) continue;
    const uuid = bare(raw.get(UUID + suffix));
    if (uuid !== null) snapshots.push({ name, uuid });
  }
  const currentUuid = bare(raw.get('CurrentSnapshotUUID'));
  const currentName = raw.get('CurrentSnapshotName');
  const current = currentUuid === null || currentName === undefined ? null : { name: currentName, uuid: currentUuid };
  return { snapshots, current };
}
