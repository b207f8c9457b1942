// Many calls at once on one caller's signal (an autopilot tick over many VMs) are no leak: Node prints no
// MaxListenersExceededWarning (which would land in a service's log), and every listener is gone afterwards.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { fakeClient, fakeWorld } from '../helpers/stand-in.js';

describe('one signal shared by many calls', { timeout: 120_000 }, () => {
  it('30 calls at once: no listener warning, no listener left', async () => {
    const fake = fakeWorld({ vms: Array.from({ length: 30 }, (_, i) => ({ name: `vm-${i}`, state: 'running' as const })) });
    const client = fakeClient(fake);
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w);
    };
    process.on('warning', onWarning);
    try {
      const signal = new AbortController().signal;
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => client.showVmInfo(`vm-${i}`, { signal })));
      expect(results.every((r) => r.isOk())).toBe(true);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next turn
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
      expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
