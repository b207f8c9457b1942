import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, invalidBalloonSize, type BalloonError } from '../errors.js';
import type { ModifyVmSettings } from './client.js';

// The port takes plain numbers; the VM's RAM (and so the upper limit) is VirtualBox's to check here.
/** @internal */
export function checkSize(sizeMb: unknown, vm: string): Result<number, BalloonError> {
  if (typeof sizeMb !== 'number' || !Number.isInteger(sizeMb) || sizeMb < 0 || sizeMb > 0xffffffff) {
    return err(invalidBalloonSize(sizeMb, 'is not a whole number of megabytes from 0 up', { maxMb: null, memoryMb: null }, vm));
  }
  return ok(sizeMb);
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

