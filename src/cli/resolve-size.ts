// A percentage size becomes megabytes of the VM's RAM: one showvminfo through the public client.
import type { BalloonController, BalloonError } from '../index.js';
import type { SizeArg } from './units.js';

/** Megabytes for `size`; a percentage is taken of the VM's configured RAM, rounded down. */
export async function resolveSize(
  controller: BalloonController,
  vm: string,
  size: SizeArg,
  signal: AbortSignal,
): Promise<{ readonly mb: number } | { readonly error: BalloonError }> {
  if (size.kind === 'mb') return { mb: size.mb };
  const info = await controller.client.showVmInfo(vm, { signal });
  if (info.isErr()) return { error: info.error };
  return { mb: Math.floor((info.value.memoryMb * size.percent) / 100) };
}
