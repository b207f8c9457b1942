// The CLI over ssh (--host, against a real sshd on 127.0.0.1) and the autopilot's --metrics server.
import { appendFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeWorld, leftoverProcesses, remoteVBoxManage } from '../helpers/stand-in.js';
import type { TestSshd } from '../helpers/sshd.js';
import { useTestSshd } from '../helpers/use-sshd.js';
import { cliEnv, runCliInProcess as cli, spawnCli } from '../helpers/cli.js';

const ssh = useTestSshd();
let sshd: TestSshd;

beforeAll(() => {
  sshd = ssh.sshd();
  // The client config the operator would have in ~/.ssh/config: the key, and trust for this server only.
  appendFileSync(sshd.configFile, `  IdentityFile ${sshd.identityFile}\n  IdentitiesOnly yes\n`);
});

describe('vbox-balloon --host', () => {
  it('status and set over ssh, by the same commands and output as locally', async () => {
    const fake = fakeWorld({ vms: [{ name: 'web-1', state: 'running', memoryMb: 4096, usedMb: 1024 }] });
    const remote = ['--host', `ssh://${sshd.user}@127.0.0.1:${sshd.port}`, '--ssh-config', sshd.configFile, '--vboxmanage', remoteVBoxManage(fake)];
    const set = await cli(['set', 'web-1', '512', ...remote], cliEnv(null));
    expect(set).toMatchObject({ code: 0, stdout: 'web-1: live balloon 0 MB -> 512 MB\n' });
    const status = await cli(['status', 'web-1', '--json', ...remote], cliEnv(null));
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject([{ name: 'web-1', balloon: { requestedMb: 512 } }]);
    expect(fake.log().map((e) => e.argv[0])).toContain('controlvm');
  }, 60_000);

  it('a host that refuses is exit 9 with the host and the fix', async () => {
    const r = await cli(['status', '--host', 'ssh://127.0.0.1:1', '--ssh-config', sshd.configFile], cliEnv(null));
    expect(r.code).toBe(9);
    expect(r.stderr).toMatch(/127\.0\.0\.1 over ssh \(refused\)/u);
  }, 30_000);

  it.each([
    [['status', '--host', 'ssh://-oProxyCommand=x'], /--host .* is not a host/u],
    [['status', '--host', 'ssh://a', '--simulate'], /--host and --simulate do not go together/u],
    [['status', '--ssh-config', '/tmp/x'], /--ssh-config only applies with --host/u],
  ])('%j is a usage error, exit 2', async (args, message) => {
    const r = await cli(args, cliEnv(null));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('vbox-balloon autopilot --metrics', () => {
  it('serves /metrics and /healthz while it runs, and stops the server with the autopilot', async () => {
    const child = spawnCli(['autopilot', '--simulate', '--policy', 'budget', '--interval', '300ms', '--max-ticks', '8', '--metrics', '127.0.0.1:0'], cliEnv(null));
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /Metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/u.exec(stderr);
        if (m?.[1] !== undefined) resolve(m[1]);
      });
      child.on('close', () => { reject(new Error(`exited before serving metrics: ${stderr}`)); });
    });
    // Wait for a tick to be counted, then read both endpoints.
    let text = '';
    for (let i = 0; i < 50 && !/^vbox_balloon_ticks_total\{[^}]*\} [1-9]/mu.test(text); i++) {
      text = await (await fetch(`${url}/metrics`)).text();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toMatch(/^vbox_balloon_ticks_total\{[^}]*\} [1-9]/mu);
    expect(text).toMatch(/^vbox_balloon_guest_backing_bytes\{/mu);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    await expect(fetch(`${url}/metrics`)).rejects.toThrow();
  }, 60_000);

  it('a bad address is a usage error, and nothing runs', async () => {
    const fake = fakeWorld({ vms: [] });
    const r = await cli(['autopilot', '--policy', 'budget', '--metrics', 'nowhere:port'], cliEnv(fake));
    expect(r.code).toBe(2);
    expect(leftoverProcesses(fake.statePath)).toEqual([]);
  }, 30_000);
});
