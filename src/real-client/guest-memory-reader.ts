// The real client's guest-memory reader: VM names by UUID (so that the steady state needs no extra call), which VMs
// have their metrics set up, and the one `metrics query` for all VMs asked.
import { err, ok, type Result } from 'neverthrow';
import { vmNotFound, type BalloonError } from '../errors/index.js';
import type { VmSummary } from '../domain/vm-info.js';
import { isUuid } from '../domain/vm-ref.js';
import { argv as commands } from '../port/argv.js';
import type { CallOptions, GuestMemory } from '../port/client.js';
import { guestMemoryFromRows, hasGuestRows, hasGuestValues, readableFromTable } from '../port/guest-memory.js';
import { parseMetricsQuery } from '../port/parse/metrics.js';
import { parseVmList } from '../port/parse/vm-list.js';
import type { Exec } from './invoke.js';

interface Resolved {
  readonly vm: string;
  readonly uuid: string;
  readonly name: string;
}

/** Reads guest memory for one client, through its `exec`. @internal */
export class GuestMemoryReader {
  readonly #exec: Exec;
  readonly #metricsSettleMs: number;
  readonly #metricsSetUp = new Map<string, number>();
  readonly #names = new Map<string, string>();

  constructor(exec: Exec, metricsSettleMs: number) {
    this.#exec = exec;
    this.#metricsSettleMs = metricsSettleMs;
  }

  /**
   * Learn the names of VMs by UUID, from the client's own list and showvminfo answers: guestMemory for UUIDs needs
   * no extra call in the steady state. A full list (`complete`) replaces what was known; the others add to it.
   */
  learn(vms: VmSummary[], complete: boolean): VmSummary[] {
    if (complete) this.#names.clear();
    for (const v of vms) this.#names.set(v.uuid, v.name);
    return vms;
  }

  /**
   * Guest memory of `vms` (already checked): `metrics setup` where needed, then one `metrics query` for all. `onRun`
   * is told each VBoxManage run before it runs.
   */
  async read(vms: readonly string[], options: CallOptions, onRun: ((argv: readonly string[]) => void) | null = null): Promise<Result<GuestMemory[], BalloonError>> {
    if (vms.length === 0) return ok([]);
    const exec: Exec = (argv, vm, o) => {
      try {
        onRun?.(argv);
      } catch {
        // a listener's own bug never breaks a call
      }
      return this.#exec(argv, vm, o);
    };
    let resolved = await this.#resolveAll(vms, options, exec);
    if (resolved.isErr()) return err(resolved.error);
    if (resolved.value.some((r) => !this.#metricsSetUp.has(r.uuid))) {
      const setup = await exec(commands.metricsSetup(), null, options);
      if (setup.isErr()) return err(setup.error);
      const now = Date.now();
      for (const r of resolved.value) this.#metricsSetUp.set(r.uuid, now);
    }
    const query = await exec(commands.metricsQuery(), null, options);
    if (query.isErr()) return err(query.error);
    const rows = parseMetricsQuery(query.value);
    if (rows.isErr()) return err(rows.error);
    // A VM with no rows may be off, or renamed since this client learnt its name: look again once.
    if (resolved.value.some((r) => readableFromTable(r.name, r.uuid, this.#names) && !hasGuestRows(rows.value, r.name))) {
      const list = await this.#list(options, exec);
      if (list !== null) return err(list);
      resolved = await this.#resolveAll(vms, options, exec);
      if (resolved.isErr()) return err(resolved.error);
    }
    const out: GuestMemory[] = [];
    const now = Date.now();
    for (const r of resolved.value) {
      let own = rows.value;
      if (!readableFromTable(r.name, r.uuid, this.#names)) {
        // Asked alone by UUID: only its own rows come back, so no other VM's name can pass for it.
        const alone = await exec(commands.metricsQueryOne(r.uuid), null, options);
        if (alone.isErr()) return err(alone.error);
        const parsed = parseMetricsQuery(alone.value);
        if (parsed.isErr()) return err(parsed.error);
        own = parsed.value;
      }
      // No rows: not running. Rows without values long after setup: the VM (or VBoxSVC) restarted. Set up again next time.
      const setUpAt = this.#metricsSetUp.get(r.uuid) ?? 0;
      if (!hasGuestRows(own, r.name) || (!hasGuestValues(own, r.name) && now - setUpAt >= this.#metricsSettleMs)) this.#metricsSetUp.delete(r.uuid);
      out.push(guestMemoryFromRows(r.vm, r.name, own));
    }
    return ok(out);
  }

  /**
   * The key of a VM's queue of changes: its UUID (lower case, no braces) when it is a UUID or a name this client has
   * learnt, else the name as given. One VM named two ways is one queue.
   */
  vmKey(vm: string): string {
    return this.#uuidOf(vm) ?? (isUuid(vm) ? vm.replace(/[{}]/gu, '').toLowerCase() : vm);
  }

  #uuidOf(vm: string): string | undefined {
    if (isUuid(vm)) {
      const u = vm.replace(/[{}]/gu, '').toLowerCase();
      return this.#names.has(u) ? u : undefined;
    }
    for (const [u, n] of this.#names) if (n === vm) return u;
    return undefined;
  }

  // One `list vms`, learnt as the full list; the error it gave, else null.
  async #list(options: CallOptions, exec: Exec): Promise<BalloonError | null> {
    const list = await exec(commands.listVms(), null, options);
    if (list.isErr()) return list.error;
    const all = parseVmList(list.value);
    if (all.isErr()) return all.error;
    this.learn(all.value, true);
    return null;
  }

  // Resolve once: every VM to its UUID and name, from what this client already knows, else from one `list vms`.
  async #resolveAll(vms: readonly string[], options: CallOptions, exec: Exec): Promise<Result<Resolved[], BalloonError>> {
    if (vms.some((vm) => this.#uuidOf(vm) === undefined)) {
      const list = await this.#list(options, exec);
      if (list !== null) return err(list);
    }
    const out: Resolved[] = [];
    for (const vm of vms) {
      const uuid = this.#uuidOf(vm);
      if (uuid === undefined) return err(vmNotFound(vm));
      out.push({ vm, uuid, name: this.#names.get(uuid) ?? vm });
    }
    return ok(out);
  }
}
