// What goes wrong between us and a remote host, through a real sshd on 127.0.0.1: hostile names on both sides,
// time-outs and aborts that leave nothing running, a host that refuses, host keys unknown or changed, a dropped
// connection during a change, a login shell that is not POSIX.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecaVBoxManageClient, remoteController, type SshOptions } from '../../src/index.js';
import { fakeClient, fakeWorld, leftoverProcesses, remoteVBoxManage, type FakeWorld } from '../helpers/stand-in.js';
import { noSshLeft } from '../helpers/leftovers.js';
import { freePort, startSshd, type TestSshd } from '../helpers/sshd.js';

let sshd: TestSshd;
const clients: ExecaVBoxManageClient[] = [];

beforeAll(async () => {
  sshd = await startSshd();
}, 30_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sshd.stop();
  expect(await noSshLeft()).toEqual([]);
}, 30_000);

const sshOf = (s: TestSshd, fake: FakeWorld, extra: Partial<SshOptions> = {}): SshOptions => ({
  host: s.host,
  port: s.port,
  identityFile: s.identityFile,
  configFile: s.configFile,
  vboxManagePath: remoteVBoxManage(fake),
  controlPersistSec: 5,
  ...extra,
});

function client(fake: FakeWorld, extra: Partial<SshOptions> = {}, options: ConstructorParameters<typeof ExecaVBoxManageClient>[0] = {}, s: TestSshd = sshd): ExecaVBoxManageClient {
  const c = fakeClient(fake, { ...options, ssh: sshOf(s, fake, extra) });
  clients.push(c);
  return c;
}

// Children of sshd serving connections (one per session and per connection): what a killed connection kills.
function sshdChildren(pid: number): number[] {
  const kids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return kids;
}

const until = async (cond: () => boolean, ms = 5000): Promise<boolean> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
};

describe('remote hosts over ssh', () => {
  it('hostile names reach VBoxManage byte for byte and run nothing, on either side', async () => {
    const canary = `/tmp/vbs-canary-${process.pid}`;
    rmSync(canary, { force: true });
    const names = [`x $(touch ${canary})`, `\`touch ${canary}\``, `'; touch ${canary}; '`, `"; touch ${canary}; "`, `a\\$(touch ${canary})`, `$'\\x41' %C ~ * ?`, `tab\there`, "quote's \"both\""];
    const fake = fakeWorld({ vms: names.map((name) => ({ name, state: 'running' as const, memoryMb: 2048 })) });
    const c = client(fake);
    for (const name of names) {
      expect((await c.showVmInfo(name))._unsafeUnwrap().name).toBe(name);
      (await c.setLiveBalloon(name, 64))._unsafeUnwrap();
    }
    expect((await c.listVms())._unsafeUnwrap().map((v) => v.name)).toEqual(names);
    expect(existsSync(canary)).toBe(false);
  }, 60_000);

  it('many calls at once over one shared connection all get their whole output', async () => {
    // Over a shared connection the ControlMaster writes the last output after the ssh client exits: none is lost.
    const vms = Array.from({ length: 40 }, (_, i) => ({ name: `vm-${i}`, state: 'running' as const, memoryMb: 2048 }));
    const fake = fakeWorld({ vms });
    const c = client(fake, {}, { maxConcurrency: 8 });
    const infos = await Promise.all(vms.map((v) => c.showVmInfo(v.name)));
    expect(infos.map((r) => (r.isOk() ? r.value.name : r.error.message))).toEqual(vms.map((v) => v.name));
  }, 60_000);

  it('a call that hangs on the remote host is killed at its time-out, there and here', async () => {
    const fake = fakeWorld({ vms: [{ name: 'web-1', state: 'running', memoryMb: 2048 }] });
    fake.setFaults({ hang: ['controlvm'] });
    const c = client(fake, {}, { timeoutMs: 1500 });
    (await c.version())._unsafeUnwrap(); // the connection is up
    const e = (await c.setLiveBalloon('web-1', 100))._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'TIMEOUT', outcome: 'unknown' });
    expect(await until(() => leftoverProcesses(fake.statePath).length === 0)).toBe(true);
  }, 30_000);

  it('an abort kills the call on the remote host too', async () => {
    const fake = fakeWorld({ vms: [{ name: 'web-1', state: 'running', memoryMb: 2048 }] });
    fake.setFaults({ hang: ['showvminfo'] });
    // No time limit to speak of: only the abort can end the call (else the case hangs and its own limit reports it).
    const c = client(fake, {}, { timeoutMs: 600_000 });
    (await c.version())._unsafeUnwrap();
    const ac = new AbortController();
    const pending = c.showVmInfo('web-1', { signal: ac.signal });
    // Abort once the stand-in on the remote side has started to hang (it writes its pid and its child's).
    expect(await until(() => existsSync(`${fake.statePath}.pids`) && readFileSync(`${fake.statePath}.pids`, 'utf8').trim().split('\n').length >= 2, 20_000)).toBe(true);
    ac.abort();
    const e = (await pending)._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'ABORTED', outcome: 'not-applied' });
    expect(await until(() => leftoverProcesses(fake.statePath).length === 0)).toBe(true);
  }, 30_000);

  it('a host that refuses connections is SSH_FAILED (refused) for that host, and others go on', async () => {
    const fake = fakeWorld({ vms: [] });
    const port = await freePort();
    const down = client(fake, { port });
    const e = (await down.version())._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'SSH_FAILED', kind: 'refused', host: '127.0.0.1', transient: true });
    expect(e.message).toMatch(/sshd runs on the host/u);
    expect(e.message).toMatch(/^Could not run VBoxManage --version on 127\.0\.0\.1 over ssh \(refused\)/u); // the call, even when the first check failed
    expect((await client(fake).version()).isOk()).toBe(true);
  }, 30_000);

  it('an unknown host key and a wrong key are refused with the fix, never a prompt', async () => {
    const fake = fakeWorld({ vms: [] });
    const empty = `${sshd.dir}/empty_known_hosts`;
    writeFileSync(empty, '');
    const cfg = `${sshd.dir}/strict_config`;
    writeFileSync(cfg, `Host *\n  UserKnownHostsFile ${empty}\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n`);
    expect((await client(fake, { configFile: cfg }).version())._unsafeUnwrapErr()).toMatchObject({ code: 'SSH_FAILED', kind: 'host-key-unknown' });
    const other = `${sshd.dir}/other_key`;
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    expect((await client(fake, { identityFile: other }).version())._unsafeUnwrapErr()).toMatchObject({ code: 'SSH_FAILED', kind: 'auth' });
  }, 30_000);

  it('a connection killed during a change says the outcome is unknown and is not run again', async () => {
    const fake = fakeWorld({ vms: [{ name: 'web-1', state: 'running', memoryMb: 2048 }] });
    fake.setFaults({ hangAfter: ['controlvm'] });
    const c = client(fake, {}, { timeoutMs: 20_000 });
    (await c.version())._unsafeUnwrap();
    const pending = c.setLiveBalloon('web-1', 100);
    // Once the remote controlvm has applied the change and hangs, cut every connection of the server.
    expect(await until(() => existsSync(`${fake.statePath}.pids`))).toBe(true);
    for (const pid of sshdChildren(sshd.pid)) process.kill(pid, 'SIGKILL');
    const e = (await pending)._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'SSH_FAILED', kind: 'dropped', outcome: 'unknown' });
    expect(e.message).toMatch(/may or may not have been applied/u);
    // The stand-in records each hanging run's pid: one controlvm ran (and applied the change); it was never re-run.
    expect(readFileSync(`${fake.statePath}.pids`, 'utf8').trim().split('\n')).toHaveLength(1);
    expect((JSON.parse(readFileSync(fake.statePath, 'utf8')) as { vms: { liveBalloonMb: number }[] }).vms[0]?.liveBalloonMb).toBe(100);
    expect(await until(() => leftoverProcesses(fake.statePath).length === 0)).toBe(true);
  }, 30_000);

  it('a changed host key is refused as a possible attack', async () => {
    const fake = fakeWorld({ vms: [] });
    const own = await startSshd();
    try {
      expect((await client(fake, {}, {}, own).version()).isOk()).toBe(true);
      await own.changeHostKey();
      const e = (await client(fake, {}, {}, own).version())._unsafeUnwrapErr();
      expect(e).toMatchObject({ code: 'SSH_FAILED', kind: 'host-key-changed', transient: false });
      expect(e.message).toMatch(/may be an attack/u);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await own.stop();
    }
  }, 30_000);

  it('a login shell that is not POSIX is detected and refused', async () => {
    // ForceCommand that prints the command it got: like a shell that expands nothing (cmd.exe would echo it too).
    const odd = await startSshd({ forceCommand: 'printf "%s\\n" "$SSH_ORIGINAL_COMMAND"' });
    try {
      const fake = fakeWorld({ vms: [] });
      const e = (await client(fake, {}, {}, odd).version())._unsafeUnwrapErr();
      expect(e).toMatchObject({ code: 'SSH_FAILED', kind: 'shell' });
      expect(fake.log()).toHaveLength(0);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await odd.stop();
    }
  }, 30_000);

  it('remoteController takes an ssh:// target', async () => {
    const fake = fakeWorld({ vms: [{ name: 'web-1', state: 'running', memoryMb: 2048 }] });
    const vbox = remoteController(`ssh://${sshd.user}@127.0.0.1:${sshd.port}`, {
      ssh: { identityFile: sshd.identityFile, configFile: sshd.configFile, vboxManagePath: remoteVBoxManage(fake), controlPersistSec: 2 },
    });
    expect((await vbox.inspect('web-1'))._unsafeUnwrap().name).toBe('web-1');
    (await vbox.close())._unsafeUnwrap();
    expect((await remoteController('ssh://-oProxyCommand=x').inspectAll())._unsafeUnwrapErr()).toMatchObject({ code: 'INVALID_ARGUMENT' });
  }, 30_000);
});
