// The ranking of hosts, as documented in docs/make-room.md: pure, over plans made by hand.
import { describe, expect, it } from 'vitest';
import { rankHosts, sizeWords, type HostAnswer } from '../../src/fleet/rank-hosts.js';
import type { RoomPlan } from '../../src/index.js';

function plan(over: { budgetMb: number; backingMb: number; needMb?: number; reclaimMb?: number; missingMb?: number }): RoomPlan {
  const needMb = over.needMb ?? 1000;
  const headroomMb = Math.max(0, over.budgetMb - over.backingMb);
  const reclaimMb = over.reclaimMb ?? Math.max(0, needMb - headroomMb);
  const missingMb = over.missingMb ?? 0;
  return {
    vm: 'v', uuid: 'u', state: 'poweroff', memoryMb: needMb - 128, overheadMb: 128, needMb, budgetMb: over.budgetMb, backingMb: over.backingMb, reservedMb: 0,
    headroomMb, reclaimMb, fits: missingMb === 0, missingMb, entries: [], leftOut: [], host: { totalMb: over.budgetMb, freeMb: 0 }, explanation: [], commands: [],
  };
}
const answer = (host: string, p: RoomPlan): HostAnswer => ({ host, plan: p, error: null });

// small: 4 GB budget with 2 GB free; big: 40 GB budget with 5 GB free; tight: 1.5 GB free; balloon: needs ballooning.
const hosts = [
  answer('small', plan({ budgetMb: 4000, backingMb: 2000 })),
  answer('big', plan({ budgetMb: 40_000, backingMb: 35_000 })),
  answer('tight', plan({ budgetMb: 10_000, backingMb: 8500 })),
  answer('balloon', plan({ budgetMb: 10_000, backingMb: 9800, reclaimMb: 800 })),
  answer('full', plan({ budgetMb: 10_000, backingMb: 10_000, reclaimMb: 1000, missingMb: 300 })),
];

describe('rankHosts', () => {
  it('least-ballooning (default): no ballooning first, then the most headroom left', () => {
    const p = rankHosts('v', hosts);
    expect(p.hosts.map((h) => h.host)).toEqual(['big', 'small', 'tight', 'balloon', 'full']);
    expect(p.chosen).toBe('big');
  });

  it('spread: the largest share of the budget left first', () => {
    // small keeps 1000/4000 = 25 %, big 4000/40000 = 10 %, tight 500/10000 = 5 %, balloon below 0.
    expect(rankHosts('v', hosts, 'spread').hosts.map((h) => h.host)).toEqual(['small', 'big', 'tight', 'balloon', 'full']);
  });

  it('pack: the fullest host that needs no ballooning first (best fit), ballooning hosts last', () => {
    expect(rankHosts('v', hosts, 'pack').hosts.map((h) => h.host)).toEqual(['tight', 'small', 'big', 'balloon', 'full']);
  });

  it('ties keep the fleet order; a fleet of none says 0/0', () => {
    const same = [answer('b', plan({ budgetMb: 5000, backingMb: 0 })), answer('a', plan({ budgetMb: 5000, backingMb: 0 }))];
    expect(rankHosts('v', same).hosts.map((h) => h.host)).toEqual(['b', 'a']);
    expect(rankHosts('v', []).summary).toBe("0/0 hosts can start 'v': ");
  });

  it('sizes in words: MB below 1 GB, GB with one decimal above', () => {
    expect([sizeWords(0), sizeWords(1023), sizeWords(1024), sizeWords(1229)]).toEqual(['0 MB', '1023 MB', '1.0 GB', '1.2 GB']);
  });
});
