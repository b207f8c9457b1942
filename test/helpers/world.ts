import type { InMemoryHostSpec, InMemoryVmSpec } from '../../src/index.js';

/** The world a test starts from: the same host and VMs mean the same thing to every backend. */
export interface World {
  readonly host?: InMemoryHostSpec;
  readonly vms: readonly InMemoryVmSpec[];
}
