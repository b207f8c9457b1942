import { expect } from 'vitest';
import type { BalloonError, FleetInspection } from '../../src/index.js';

/**
 * The fleet both fleet files inspect: lab-1 (web-1 running, db-1 off) and lab-2 (web-1 running) answer, lab-3 fails.
 * Checks that each host is reported for itself, in order, and returns lab-3's error.
 */
export function lab3Failed(r: FleetInspection): BalloonError {
  expect(r.hosts.map((h) => [h.host, h.ok])).toEqual([
    ['lab-1', true],
    ['lab-2', true],
    ['lab-3', false],
  ]);
  // Same VM name on two hosts: each result says which host it is on.
  expect(r.vms.map((v) => `${v.host}/${v.name}`)).toEqual(['lab-1/web-1', 'lab-1/db-1', 'lab-2/web-1']);
  const failed = r.hosts[2];
  if (failed?.ok !== false) throw new Error('lab-3 should have failed');
  return failed.error;
}
