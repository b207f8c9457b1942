// Regression: issue 20 item 1. Whatever the CLI prints names CLI commands and flags, never the SDK's methods and
// options; the SDK keeps its own words for SDK users. Every error the CLI can print: the commands over the simulated
// host (mistakes included), and a table of constructed errors through the CLI's renderer.
import { describe, expect, it } from 'vitest';
import { cliMessage } from '../../src/cli/error-words.js';
import * as E from '../../src/errors/index.js';
import type { BalloonError } from '../../src/errors/index.js';
import { newStateDir, runCliInProcess as runInProcess } from '../helpers/cli.js';

/** What gives an SDK identifier away: camelCase names, calls, `options.`, the SDK's "caller's signal". */
const SDK_WORDS: readonly RegExp[] = [/\b[a-z]+(?:[A-Z][a-z\d]*)+\b/u, /\boptions\.\w/u, /\b[a-zA-Z]+\((?!\d)/u, /caller's signal/u, /\bhandle\.\w/u, /\bcall \w+/u];

/** Proper names that look like camelCase. */
const NAMES = new Set(['macOS']);

function sdkWordsIn(text: string): string[] {
  return SDK_WORDS.flatMap((re) => [...text.matchAll(new RegExp(re.source, 'gu'))].map((x) => x[0])).filter((w) => !NAMES.has(w));
}

const RUNS: readonly (readonly string[])[] = [
  ['set', 'spare-1', '512'],
  ['set', 'db-1', '512'],
  ['set', 'web-1', '5000'],
  ['set', 'nope', '1G'],
  ['default', 'web-1', '512'],
  ['prepare', 'db-1'],
  ['reclaim', '20G'],
  ['reclaim', '0'],
  ['reclaim', '1G', '--keep-free', '40G'],
  ['start', 'spare-1', '--make-room', '--dry-run'],
  ['start', 'spare-1', '--make-room', '--overhead', '30G'],
  ['start', 'spare-1', '--make-room', '--budget', '10%'],
  ['give-back', 'web-1'],
  ['restore'],
  ['status'],
  ['host'],
  ['plan', '--policy', 'budget'],
  ['plan', '--policy', 'balloonctrl'],
];

describe('the CLI speaks in commands and flags', () => {
  // A start that makes room waits for the simulated balloons in real time (a few seconds): the limit only catches a hang.
  it.each(RUNS)('%s %s %s %s %s over --simulate', { timeout: 30_000 }, async (...args) => {
    const dir = newStateDir();
    const r = await runInProcess([...args, '--simulate'], { VBOX_BALLOON_STATE_DIR: dir });
    expect(sdkWordsIn((r.stdout + r.stderr).split(dir).join('STATE'))).toEqual([]);
  });

  it('a missing VBoxManage (--vboxmanage, VBOXMANAGE_PATH, nothing found) names the flag and --simulate', async () => {
    const opt = await runInProcess(['status', '--vboxmanage', '/nope/VBoxManage'], { VBOX_BALLOON_STATE_DIR: newStateDir() });
    expect(opt.code).toBe(4);
    expect(opt.stderr).toContain('--vboxmanage');
    const none = await runInProcess(['status'], { VBOX_BALLOON_STATE_DIR: newStateDir(), PATH: '/nonexistent' });
    expect(none.stderr).toContain('--simulate');
    for (const r of [opt, none]) expect(sdkWordsIn(r.stderr)).toEqual([]);
  });

  it('Ctrl-C before a start makes room: the message says it was interrupted, not "the caller\'s signal"', async () => {
    const c = new AbortController();
    c.abort();
    const dir = newStateDir();
    const r = await runInProcess(['start', 'spare-1', '--make-room', '--simulate'], { VBOX_BALLOON_STATE_DIR: dir }, c.signal);
    expect(r.stderr).toMatch(/interrupted|Ctrl-C/u);
    expect(sdkWordsIn(r.stderr.split(dir).join('STATE'))).toEqual([]);
  });
});

const info = { uuid: '00000000-0000-4000-8000-000000000001', name: 'web-1' };
const change = { vm: 'web-1', uuid: info.uuid, argv: ['controlvm', info.uuid, 'guestmemoryballoon', '512'], fromMb: 0, toMb: 512, outcome: 'unknown' as const, rollback: 'failed' as const, rollbackError: E.vmLocked('web-1', null, '') };
const stateError = E.invalidVmState('spare-1', 'poweroff', ['running', 'paused'], 'live balloon change', 'Start it.');
const CONSTRUCTED: readonly (readonly [string, BalloonError])[] = [
  ['host unsupported', E.hostUnsupported('Darwin', 'macOS', 'web-1')],
  ['page fusion unsupported', E.hostUnsupported('Darwin', 'macOS', 'web-1', 'page fusion')],
  ['invalid argument', E.invalidArgument('options.keepGuestFreeMb', -1, 'is below 0', 'Pass a whole number of megabytes, e.g. 256.')],
  ['invalid wait', E.invalidArgument('options.wait.timeoutMs', -1, 'is below 0', 'Pass a duration, e.g. 30000.')],
  ['invalid size', E.invalidBalloonSize(9000, 'is too large', { maxMb: 3686, memoryMb: 4096 }, 'web-1')],
  ['not found', E.vmNotFound('nope')],
  ['state', stateError],
  ['large pages', E.largePagesEnabled('db-1')],
  ['no additions', E.guestAdditionsNotRunning('win-1', 0)],
  ['locked', E.vmLocked('web-1', null, '')],
  ['vboxmanage option missing', E.vboxManageNotFound(['/nope'], 'missing', 'option')],
  ['vboxmanage option folder', E.vboxManageNotFound(['/opt'], 'folder', 'option')],
  ['vboxmanage option not executable', E.vboxManageNotFound(['/opt/x'], 'not-executable', 'option')],
  ['vboxmanage search not executable', E.vboxManageNotFound(['/usr/bin/VBoxManage'], 'not-executable', 'search')],
  ['vboxmanage not installed', E.vboxManageNotFound(['/usr/bin/VBoxManage', '/usr/local/bin/VBoxManage'])],
  ['vboxmanage remote', E.vboxManageNotFound(['/usr/bin/VBoxManage'], 'not-installed', 'remote')],
  ['failed, unknown outcome', E.vboxManageFailed('web-1', change.argv, 1, '', null, false, undefined, 'unknown')],
  ['timeout', E.timeout('web-1', change.argv, 30_000)],
  ['timeout of a read', E.timeout('web-1', ['showvminfo', 'web-1'], 30_000)],
  ['aborted change', E.aborted('web-1', change.argv)],
  ['aborted', E.aborted(null)],
  ['parse', E.parseError('showvminfo', 'x', 'no VMState', 'web-1')],
  ['shortfall', E.reclaimShortfall(20_480, 5992, 256, [{ vm: 'db-1', reason: 'large pages are on' }])],
  ['shortfall, nothing', E.reclaimShortfall(20_480, 0, 256)],
  ['ssh auth', E.sshFailed('host', 'auth', ['list', 'vms'], 'denied', null)],
  ['ssh unreachable', E.sshFailed('host', 'unreachable', ['list', 'vms'], 'no route', null)],
  ['autopilot running', E.autopilotRunning()],
  ['apply failed', E.applyFailed(E.aborted('web-1', change.argv), [change])],
  ['blocked', E.blocked('db-1', 'live balloon change', [stateError, E.largePagesEnabled('db-1')])],
  ['no room', E.noRoom('spare-1', { needMb: 2176, headroomMb: 0, reclaimableMb: 100, keepGuestFreeMb: 256 }, [])],
  ['room not ready', E.roomNotReady('spare-1', 2176, 1000, 120_000)],
];

describe("the CLI's renderer of SDK errors", () => {
  it.each(CONSTRUCTED)('%s: no SDK identifier in the CLI words', (_, e) => {
    expect(sdkWordsIn(cliMessage(e))).toEqual([]);
  });

  it('the SDK keeps its words, and the fix is data both wordings come from', () => {
    const e = E.largePagesEnabled('db-1');
    expect(e.message).toContain("disableLargePages('db-1')");
    expect(e.fix?.steps).toEqual([{ kind: 'disable-large-pages', vm: 'db-1' }]);
    expect(cliMessage(e)).toContain("'vbox-balloon prepare db-1'");
    const shortfall = E.reclaimShortfall(20_480, 5992, 256);
    expect(shortfall.message).toContain('lower keepGuestFreeMb');
    expect(cliMessage(shortfall)).toContain('lower --keep-free');
  });
});
