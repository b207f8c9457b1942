// One shape for "a VirtualBox host to test against": the in-memory host, the VBoxManage stand-in run by the real
// client, and the stand-in behind a real sshd (test/helpers/ssh-backend.ts). A suite takes a BackendKind, makes a
// fresh Backend per case from a World, and asks `can` before it generates a case that needs more than the port.
import { BalloonController, InMemoryVBoxManageClient, type BalloonEvent, type ExecaVBoxManageClientOptions, type VBoxManageClient } from '../../src/index.js';
import { fakeClient, fakeWorld, type FakeWorld } from './stand-in.js';
import type { World } from './world.js';

export type { World } from './world.js';

/**
 * What a backend has beyond the port.
 * - `processes`: each call is a real process (leftovers can be looked for in /proc, trees are killed).
 * - `virtual-clock`: time moves only when the test says so (`advanceTime`).
 * - `ssh`: calls go through a real OpenSSH connection.
 */
export type Capability = 'processes' | 'virtual-clock' | 'ssh';

/** The port methods a fault can be injected into. */
export type FaultMethod = 'setLiveBalloon' | 'modifyVm' | 'guestMemory' | 'startVm';
/** How the call fails: killed by its time limit, exit 0 with output VBoxManage never prints, or a plain failure. */
export type Fault = 'timeout' | 'garbage' | 'failed';

/** A fault as `fail` takes it: `${method}:${fault}`, with `:applied` when VirtualBox made the change first. */
export type FaultSpec = `${FaultMethod}:${Fault}` | `${FaultMethod}:${Fault}:applied`;

export interface Backend {
  /** The port, as the controller sees it. */
  readonly client: VBoxManageClient;
  /** A controller over `client`; its events go to `events` (and to `onEvent` when one was given). */
  readonly vbox: BalloonController;
  readonly events: BalloonEvent[];
  readonly can: ReadonlySet<Capability>;
  // The world, changed as a person at the VirtualBox host would (not through the port).
  startVm(vm: string): void;
  powerOffVm(vm: string): void;
  pauseVm(vm: string): void;
  saveVm(vm: string): void;
  lockVm(vm: string): void;
  unlockVm(vm: string): void;
  /** What the guest uses (a busy guest's balloon cannot grow past its free memory). */
  setUsed(vm: string, usedMb: number): void;
  /** The guest used `usedMb` for a moment a few seconds ago and is back to its use now (a dip in free memory between reads). */
  spikeGuest(vm: string, usedMb: number): void;
  /** The next call of `method` fails with `fault`; with `applied`, VirtualBox makes the change first. */
  fail(method: FaultMethod, fault: Fault, options?: { readonly applied?: boolean }): void;
  /** The argv of every VBoxManage call the client made (not the test's own world controls), in order. */
  argvs(): string[][];
  /** How many calls the client made so far. */
  invocations(): number;
}

export interface MakeOptions {
  readonly onEvent?: (e: BalloonEvent) => void;
}

export interface BackendKind {
  /** Used in suite names: "… over <name>". */
  readonly name: string;
  readonly can: ReadonlySet<Capability>;
  /** The faults `fail` can inject on this backend. */
  readonly faults: ReadonlySet<FaultSpec>;
  make(world: World, options?: MakeOptions): Backend;
}

const spec = (method: FaultMethod, fault: Fault, applied: boolean): FaultSpec => (applied ? `${method}:${fault}:applied` : `${method}:${fault}`);

function unsupported(kind: string, method: FaultMethod, fault: Fault, applied: boolean): Error {
  return new Error(`the ${kind} backend cannot inject ${spec(method, fault, applied)}: ask supports() before generating the case`);
}

function controller(client: VBoxManageClient, options: MakeOptions): { vbox: BalloonController; events: BalloonEvent[] } {
  const events: BalloonEvent[] = [];
  const vbox = new BalloonController({
    client,
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
  });
  return { vbox, events };
}

const ALL_FAULTS: readonly FaultSpec[] = (['setLiveBalloon', 'modifyVm', 'guestMemory', 'startVm'] as const).flatMap((m) =>
  (['timeout', 'garbage', 'failed'] as const).flatMap((f) => [spec(m, f, false), spec(m, f, true)]),
);

/** The SDK's own simulated host: no processes, virtual time, every fault. */
export const inMemory: BackendKind = {
  name: 'InMemoryVBoxManageClient',
  can: new Set<Capability>(['virtual-clock']),
  faults: new Set(ALL_FAULTS),
  make(world, options = {}) {
    const client = new InMemoryVBoxManageClient({ ...(world.host === undefined ? {} : { host: world.host }), vms: world.vms });
    return {
      client,
      ...controller(client, options),
      can: this.can,
      startVm: (vm) => void client.powerOnVm(vm),
      powerOffVm: (vm) => void client.powerOffVm(vm),
      pauseVm: (vm) => void client.pauseVm(vm),
      saveVm: (vm) => void client.saveVm(vm),
      lockVm: (vm) => void client.lockVm(vm),
      unlockVm: (vm) => void client.unlockVm(vm),
      setUsed: (vm, usedMb) => void client.setGuestMemory(vm, { usedMb }),
      spikeGuest: (vm, usedMb) => {
        const before = client.guestState(vm).demandMb;
        client.setGuestMemory(vm, { usedMb }).advanceTime(1000);
        client.setGuestMemory(vm, { usedMb: before }).advanceTime(1000);
      },
      fail: (method, fault, { applied = false } = {}) => void client.failNext(method, fault, { applied }),
      argvs: () => client.calls.map((c) => [...c.argv]),
      invocations: () => client.callCount,
    };
  },
};

/** The stand-in's command for each method, as its fault knobs name it. */
const COMMAND: Record<FaultMethod, string> = { setLiveBalloon: 'controlvm', modifyVm: 'modifyvm', guestMemory: 'metrics query', startVm: 'startvm' };

/** Set the stand-in's knob for a fault; the faults it cannot make are left out of `faults` below. */
function standInFault(fake: FakeWorld, method: FaultMethod, fault: Fault, applied: boolean, kind: string): void {
  const command = COMMAND[method];
  if (fault === 'timeout' && applied) fake.setFaults({ hangAfter: [command] });
  else if (fault === 'garbage') fake.setFaults(applied ? { garbageAfter: [command] } : { garbageOnce: [command] });
  else if (fault === 'failed' && method === 'startVm' && !applied) fake.setFaults({ startFails: true });
  else throw unsupported(kind, method, fault, applied);
}

const STAND_IN_FAULTS: readonly FaultSpec[] = [
  ...(['setLiveBalloon', 'modifyVm', 'guestMemory', 'startVm'] as const).flatMap((m) => [spec(m, 'timeout', true), spec(m, 'garbage', false), spec(m, 'garbage', true)]),
  'startVm:failed',
];

/**
 * A backend over a stand-in world and any real client that reaches it (locally, or over ssh). `timeoutMs` is the
 * client's time limit: a hung call takes all of it, and a loaded machine needs a second or more to start a process.
 */
export function standInBackend(fake: FakeWorld, client: VBoxManageClient, options: MakeOptions, can: ReadonlySet<Capability>, kind: string): Backend {
  const own = (): ReturnType<FakeWorld['log']> => fake.log().filter((e) => e.control !== true);
  return {
    client,
    ...controller(client, options),
    can,
    startVm: (vm) => void fake.run('startvm', vm, '--type', 'headless'),
    powerOffVm: (vm) => void fake.run('controlvm', vm, 'poweroff'),
    pauseVm: (vm) => void fake.run('controlvm', vm, 'pause'),
    saveVm: (vm) => void fake.run('controlvm', vm, 'savestate'),
    lockVm: (vm) => { fake.editVm(vm, { locked: true }); },
    unlockVm: (vm) => { fake.editVm(vm, { locked: false }); },
    setUsed: (vm, usedMb) => { fake.editVm(vm, { usedMb }); },
    // The stand-in's `:min` row puts the dip at the most the guest used over the window.
    spikeGuest: (vm, usedMb) => { fake.editVm(vm, { peakUsedMb: usedMb }); },
    fail: (method, fault, { applied = false } = {}) => { standInFault(fake, method, fault, applied, kind); },
    // Only the client's own invocations count: the test's own runs of the stand-in (fake.run) are marked `control`.
    argvs: () => own().map((e) => e.argv),
    invocations: () => own().length,
  };
}

/** The real client running the VBoxManage stand-in as a local process. */
export function standInKind(clientOptions: ExecaVBoxManageClientOptions = {}): BackendKind {
  const can = new Set<Capability>(['processes']);
  return {
    name: 'ExecaVBoxManageClient and the VBoxManage stand-in',
    can,
    faults: new Set(STAND_IN_FAULTS),
    make(world, options = {}) {
      const fake = fakeWorld(world);
      return standInBackend(fake, fakeClient(fake, clientOptions), options, can, this.name);
    },
  };
}

/** The stand-in with the client's usual options for the contract suites. */
export const standIn: BackendKind = standInKind();

/** The title of a suite run over `kind`, naming what it leaves out there (never a silent skip). */
export function suiteTitle(what: string, kind: BackendKind, leftOut: readonly string[] = []): string {
  return leftOut.length === 0 ? `${what} over ${kind.name}` : `${what} over ${kind.name} (not generated here: ${leftOut.join('; ')})`;
}
