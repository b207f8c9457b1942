// The VBoxManage stand-in keeps Page Fusion as real state, with VirtualBox's spellings and refusals.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { FAKE_VBOXMANAGE, fakeWorld, type FakeWorld } from '../helpers/stand-in.js';

// Run the stand-in and keep its exit code and stderr (the harness's run() throws on a failure).
function attempt(fake: FakeWorld, ...args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    return { code: 0, stdout: execFileSync(FAKE_VBOXMANAGE, args, { env: { ...process.env, ...fake.env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), stderr: '' };
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string };
    return { code: x.status, stdout: x.stdout, stderr: x.stderr };
  }
}

const world = {
  vms: [
    { name: 'off', state: 'poweroff' as const },
    { name: 'on', state: 'running' as const },
    { name: 'saved', state: 'saved' as const },
  ],
};

describe('the stand-in: Page Fusion', () => {
  it.each(['--pagefusion', '--page-fusion'])('%s on|off is kept and printed by showvminfo', (option) => {
    const fake = fakeWorld(world);
    expect(fake.run('showvminfo', 'off', '--machinereadable')).toContain('pagefusion="off"');
    fake.run('modifyvm', 'off', option, 'on');
    expect(fake.run('showvminfo', 'off', '--machinereadable')).toContain('pagefusion="on"');
    fake.run('modifyvm', 'off', option, 'off');
    expect(fake.run('showvminfo', 'off', '--machinereadable')).toContain('pagefusion="off"');
  });

  it('a running VM answers with the lock text, a saved one with "not mutable"; nothing changes', () => {
    const fake = fakeWorld(world);
    const running = attempt(fake, 'modifyvm', 'on', '--pagefusion', 'on');
    expect(running.code).toBe(1);
    expect(running.stderr).toMatch(/is already locked for a session/u);
    const saved = attempt(fake, 'modifyvm', 'saved', '--pagefusion', 'on');
    expect(saved.code).toBe(1);
    expect(saved.stderr).toMatch(/The machine is not mutable \(state is Saved\)/u);
    expect(saved.stderr).toContain('COMSETTER(PageFusionEnabled)');
    for (const vm of ['on', 'saved']) expect(fake.run('showvminfo', vm, '--machinereadable')).toContain('pagefusion="off"');
  });

  it('a bad value is refused', () => {
    const fake = fakeWorld(world);
    expect(attempt(fake, 'modifyvm', 'off', '--pagefusion', 'yes')).toMatchObject({ code: 1, stderr: expect.stringMatching(/Unknown option: yes/u) as unknown });
  });

  it('a macOS host refuses it with E_NOTIMPL, even off', () => {
    const fake = fakeWorld({ host: { os: 'Darwin' }, vms: world.vms });
    const r = attempt(fake, 'modifyvm', 'off', '--pagefusion', 'off');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Page fusion is only supported on 64-bit hosts\n.*NS_ERROR_NOT_IMPLEMENTED \(0x80004001\)/u);
  });

  it('metrics query prints Guest/RAM/Usage/Shared in registration order, after Balloon', () => {
    const fake = fakeWorld({ vms: [{ name: 'win', state: 'running', memoryMb: 2048, usedMb: 1024, osType: 'Windows 10 (64-bit)', pageFusion: true }] });
    fake.run('metrics', 'setup', '--period', '1', '--samples', '1', '*', 'Guest/RAM/Usage');
    const out = fake.run('metrics', 'query', '*', 'Guest/RAM/Usage/Total,Guest/RAM/Usage/Free,Guest/RAM/Usage/Balloon,Guest/RAM/Usage/Cache,Guest/RAM/Usage/Shared');
    const metrics = out.split('\n').slice(2).filter((l) => l !== '').map((l) => l.slice(16).split(' ')[0]);
    expect(metrics).toEqual(['Guest/RAM/Usage/Total', 'Guest/RAM/Usage/Free', 'Guest/RAM/Usage/Balloon', 'Guest/RAM/Usage/Shared', 'Guest/RAM/Usage/Cache']);
    expect(out).toMatch(/win {13}Guest\/RAM\/Usage\/Shared {19}131072 kB/u);
  });
});
