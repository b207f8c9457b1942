import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, invalidBalloonSize, type BalloonError } from '../errors/index.js';
import { validateBalloonSizeShape } from '../domain/balloon-size.js';
import type { ModifyVmSettings } from './client.js';
import { boolean, object, optional } from '../validate/schema.js';

/**
 * The shape of a size before the VM's RAM is known: a whole number of MB, 0 or more, that fits VBoxManage's 32-bit
 * parser. The VM's own limit is checked once its RAM is known (by the controller, or by VirtualBox). @internal
 */
export function checkSize(sizeMb: unknown, vm: string): Result<number, BalloonError> {
  const shape = validateBalloonSizeShape(sizeMb, vm);
  if (shape.isErr()) return err(shape.error);
  if (shape.value > 0xffffffff) {
    return err(invalidBalloonSize(sizeMb, 'does not fit in 32 bits, the most VBoxManage can read', { maxMb: null, memoryMb: null }, vm));
  }
  return ok(shape.value);
}

const settingsShape = object({ defaultBalloonMb: (v: unknown) => ok(v), largePages: optional(boolean), pageFusion: optional(boolean) });

/** The settings of one `modifyvm`: known keys only, at least one, `largePages` and `pageFusion` strictly boolean, a size's shape. @internal */
export function checkSettings(settings: unknown, vm: string): Result<ModifyVmSettings, BalloonError> {
  if (typeof settings !== 'object' || settings === null) {
    return err(invalidArgument('settings', settings, 'is not a settings object', 'Pass e.g. { defaultBalloonMb: 512, largePages: false }.', vm));
  }
  const shaped = settingsShape(settings, 'settings', vm);
  if (shaped.isErr()) return err(shaped.error);
  const s = settings as ModifyVmSettings;
  if (s.defaultBalloonMb === undefined && s.largePages === undefined && s.pageFusion === undefined) {
    return err(invalidArgument('settings', settings, 'change nothing', 'Pass at least one of defaultBalloonMb, largePages and pageFusion.', vm));
  }
  if (s.defaultBalloonMb !== undefined) {
    const size = checkSize(s.defaultBalloonMb, vm);
    if (size.isErr()) return err(size.error);
  }
  return ok({
    ...(s.defaultBalloonMb === undefined ? {} : { defaultBalloonMb: s.defaultBalloonMb }),
    ...(s.largePages === undefined ? {} : { largePages: s.largePages }),
    ...(s.pageFusion === undefined ? {} : { pageFusion: s.pageFusion }),
  });
}
