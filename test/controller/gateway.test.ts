// The controller's one gateway for live changes: a rollback is a change too, made and reported the same way.
import { describe, expect, it } from 'vitest';
import { BalloonController, InMemoryVBoxManageClient, type BalloonChange, type BalloonEvent } from '../../src/index.js';
import { ControllerCore } from '../../src/controller/controller-core.js';

describe('the gateway for live changes', () => {
  it('a rollback goes through it and is reported by a change event, like the change it undoes', async () => {
    const sim = new InMemoryVBoxManageClient({
      vms: [
        { name: 'a', state: 'running', memoryMb: 4096, usedMb: 1000 },
        { name: 'b', state: 'running', memoryMb: 4096, usedMb: 1500 },
      ],
    });
    const events: BalloonEvent[] = [];
    const vbox = new BalloonController({
      client: sim,
      onEvent: (e) => {
        events.push(e);
        // The second change fails: the first is put back.
        if (e.type === 'change' && events.filter((x) => x.type === 'change').length === 1) sim.failNext('setLiveBalloon', 'failed');
      },
    });
    const e = (await vbox.reclaim({ megabytes: 4000 }))._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'APPLY_FAILED' });
    const changes = events.flatMap((x) => (x.type === 'change' ? [x.change as BalloonChange] : []));
    expect(changes).toHaveLength(2);
    const [made, undone] = changes;
    expect(undone).toMatchObject({ vm: made?.vm, uuid: made?.uuid, kind: 'live', fromMb: made?.toMb, toMb: made?.fromMb, dryRun: false });
    expect(events.filter((x) => x.type === 'command' && x.argv[0] === 'controlvm')).toHaveLength(3);
    expect((await sim.showVmInfo(made?.uuid ?? ''))._unsafeUnwrap().balloonMb).toBe(made?.fromMb);
  });

  it.each([Number.NaN, -1, 3687, 1.5, '100' as unknown as number])('refuses the size %j before any call or event, whoever the caller', async (size) => {
    const sim = new InMemoryVBoxManageClient({ vms: [{ name: 'a', state: 'running', memoryMb: 4096 }] });
    const events: BalloonEvent[] = [];
    const core = new ControllerCore(sim, (e) => events.push(e));
    const uuid = (await sim.showVmInfo('a'))._unsafeUnwrap().uuid;
    const calls = sim.callCount;
    const e = (await core.setLive({ vm: { name: 'a', uuid, memoryMb: 4096, balloonMb: 0 }, fromMb: 0, toMb: size }, {}))._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'INVALID_BALLOON_SIZE', vm: 'a' });
    expect(sim.callCount).toBe(calls);
    expect(events).toEqual([]);
  });
});
