import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, invalidBalloonSize, type BalloonError } from '../errors.js';
import { validateBalloonSizeShape } from '../domain/balloon-size.js';
import type { ModifyVmSettings } from './client.js';

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

/** @internal */
export function checkSettings(settings: ModifyVmSettings, vm: string): Result<ModifyVmSettings, BalloonError> {
  if (settings.defaultBalloonMb === undefined && settings.largePages === undefined) {
    return err(invalidArgument('settings', settings, 'change nothing', 'Pass defaultBalloonMb, largePages, or both.', vm));
  }
  if (settings.largePages !== undefined && typeof settings.largePages !== 'boolean') {
    return err(invalidArgument('largePages', settings.largePages, 'is not a boolean', 'Pass true or false.', vm));
  }
  if (settings.defaultBalloonMb !== undefined) {
    const size = checkSize(settings.defaultBalloonMb, vm);
    if (size.isErr()) return err(size.error);
  }
  return ok(settings);
}

