import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, type InvalidArgumentError } from '../errors/index.js';
import { func, optional } from '../validate/schema.js';
import type { VBoxManageClient } from '../port/client.js';
import type { BalloonControllerOptions } from './types.js';

const PORT_METHODS: readonly (keyof VBoxManageClient)[] = [
  'version',
  'hostInfo',
  'listVms',
  'listRunningVms',
  'showVmInfo',
  'setLiveBalloon',
  'setDefaultBalloon',
  'setLargePages',
  'modifyVm',
  'guestMemory',
  'hostMemory',
];

/** Check the controller's own options: a client that implements the port, and an optional listener. @internal */
export function checkControllerOptions(options: unknown): Result<BalloonControllerOptions, InvalidArgumentError> {
  const fix = 'Pass { client: new ExecaVBoxManageClient() } or { client: new InMemoryVBoxManageClient() }, or use localController().';
  if (typeof options !== 'object' || options === null) return err(invalidArgument('options', options, 'is not an options object', fix));
  const r = options as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (key !== 'client' && key !== 'onEvent') return err(invalidArgument(`options.${key}`, r[key], 'is not a known option', 'Known options: client, onEvent.'));
  }
  const client = r['client'] as Record<string, unknown> | null | undefined;
  if (typeof client !== 'object' || client === null) return err(invalidArgument('options.client', client, 'is not a VBoxManageClient', fix));
  const missing = PORT_METHODS.filter((m) => typeof client[m] !== 'function');
  if (missing.length > 0) return err(invalidArgument('options.client', 'an object', `lacks ${missing.join(', ')}`, fix));
  const onEvent = optional(func)(r['onEvent'], 'options.onEvent');
  if (onEvent.isErr()) return err(onEvent.error);
  return ok(options as BalloonControllerOptions);
}
