// prepare and disableLargePages: the settings of a VM that is off (large pages, default balloon, Page Fusion), changed
// in ONE modifyvm, behind the BalloonController facade.
import { err, ok } from 'neverthrow';
import { refusal } from '../errors/index.js';
import { pageFusionGuest, settingsBlockers } from '../domain/balloon-rules.js';
import { argv as commands } from '../port/argv.js';
import { isOnline, named, type Async, type ControllerCore } from './controller-core.js';
import { pageFusionWarning } from './page-fusion.js';
import type { SettingsChange } from '../events/index.js';
import type { PrepareOptions } from './types.js';

/** `prepare` (and `disableLargePages`), with options already checked. @internal */
export async function prepare(core: ControllerCore, ref: string, o: PrepareOptions): Async<SettingsChange> {
  const info = await core.show(ref, o);
  if (info.isErr()) return err(info.error);
  const v = info.value;
  const wanted = o.defaultBalloonMb;
  const settings: { defaultBalloonMb?: number; largePages?: boolean; pageFusion?: boolean } = {};
  // While the VM runs, showvminfo prints the live value: the default cannot be seen, so it is set only on a VM that is off.
  if (wanted !== undefined && (isOnline(v) || wanted !== v.balloonMb)) settings.defaultBalloonMb = wanted;
  if (v.largePages === true) settings.largePages = false;
  if (o.pageFusion !== undefined && o.pageFusion !== v.pageFusion) settings.pageFusion = o.pageFusion;
  const nothing = settings.defaultBalloonMb === undefined && settings.largePages === undefined && settings.pageFusion === undefined;
  const change: SettingsChange = {
    vm: v.name,
    uuid: v.uuid,
    kind: 'settings',
    ...(settings.largePages === undefined ? {} : { largePages: { from: true, to: false } }),
    ...(settings.defaultBalloonMb === undefined ? {} : { defaultBalloonMb: { from: isOnline(v) ? (core.defaults.get(v.uuid) ?? v.balloonMb) : v.balloonMb, to: settings.defaultBalloonMb } }),
    ...(settings.pageFusion === undefined ? {} : { pageFusion: { from: v.pageFusion, to: settings.pageFusion } }),
    commands: nothing ? [] : [commands.modifyVm(v.uuid, settings)],
    dryRun: o.dryRun === true,
  };
  if (nothing) return ok(change);
  // Page Fusion needs a host that has it: the host is read (once per controller) only when Page Fusion changes.
  const host = settings.pageFusion === undefined ? null : await core.hostInfo(o, false);
  if (host?.isErr() === true) return err(host.error);
  const blockers = settingsBlockers(v, settings, core.host);
  if (blockers.length > 0) return err(refusal(v.name, 'settings change', blockers));
  if (settings.pageFusion === true && pageFusionGuest(v.osType) !== true) core.emit({ type: 'warning', vm: v.name, ...pageFusionWarning(v) });
  if (change.dryRun) return ok(change);
  const set = await core.modify(v, settings, o);
  if (set.isErr()) return err(named(set.error, v));
  core.emit({ type: 'change', change });
  return ok(change);
}
