// Imports run one way: the autopilot never imports the controller, and the events import nothing above them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('imports run one way', () => {
  const importsOf = (folder: string): string[] =>
    readdirSync(join('src', folder))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(join('src', folder, f), 'utf8').matchAll(/^import[^;]*?from '([^']+)'/gmu)].map((m) => `${f}: ${m[1] ?? ''}`));

  it('the autopilot never imports the controller', () => {
    const all = importsOf('autopilot');
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((line) => /\/controller\//u.test(line))).toEqual([]);
  });

  it('the events import nothing above them', () => {
    const all = importsOf('events');
    expect(all.length).toBeGreaterThan(3);
    expect(all.filter((line) => /\/(controller|autopilot|metrics|fleet|cli)\//u.test(line))).toEqual([]);
  });
});
