// The real client's options, checked once in its constructor with the shared option schemas (src/validate).
import { ok, type Result } from 'neverthrow';
import type { InvalidArgumentError } from '../errors/index.js';
import { durationMs, func, integer, object, optional, recordOf, string, type Check } from '../validate/schema.js';

// ssh options have their own check (checkSshOptions); here they only pass through.
const passThrough: Check<unknown> = (value) => ok(value);

const shape = {
  vboxManagePath: optional(string({ nonEmpty: true, example: '/usr/bin/VBoxManage' })),
  timeoutMs: optional(durationMs({ min: 1, example: 60_000 })),
  retry: optional(
    object({
      attempts: optional(integer({ min: 1, max: 100, example: 3 })),
      delayMs: optional(durationMs({ min: 0, example: 1000 })),
    }),
  ),
  maxConcurrency: optional(integer({ min: 1, max: 1024, example: 4 })),
  env: optional(recordOf(string({ example: '/srv/vbox' }), { example: "{ VBOX_USER_HOME: '/srv/vbox' }" })),
  onCommand: optional(func),
  metricsSettleMs: optional(durationMs({ min: 0, example: 3000 })),
  ssh: passThrough,
} as const;

/** The checked options, with the fields the constructor reads. @internal */
export interface CheckedClientOptions {
  readonly vboxManagePath?: string;
  readonly timeoutMs?: number;
  readonly retry?: { readonly attempts?: number; readonly delayMs?: number };
  readonly maxConcurrency?: number;
  readonly env?: Record<string, string>;
  readonly onCommand?: (event: never) => void;
  readonly metricsSettleMs?: number;
  readonly ssh?: unknown;
}

/** Check the options of `new ExecaVBoxManageClient(options)`; never throws, whatever `options` is. @internal */
export function checkClientOptions(options: unknown): Result<CheckedClientOptions, InvalidArgumentError> {
  return object(shape)(options, 'options') as Result<CheckedClientOptions, InvalidArgumentError>;
}
