// Regression: issue 20 item 15. The docs work as written for a new user: getting-started says how to run a program
// with top-level await (a `.mts` file, or `"type": "module"`, and tsx), the README example says why a call failed
// and prints no code as text, and docs/autopilot.md shows what a tick's plan and maybeApplied hold. (Every ts block
// is also type-checked and, where marked, run by `npm run check:docs`.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string): string => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const tsBlocks = (text: string): string[] => [...text.matchAll(/^```ts[^\n]*\n([\s\S]*?)^```$/gmu)].map((m) => m[1] ?? '');

describe('docs a new user follows', () => {
  it('getting-started: a .mts file (or "type": "module") run with tsx, which it says to install', () => {
    const text = read('docs/getting-started.md');
    expect(text).toContain('npx tsx start.mts');
    expect(text).not.toMatch(/npx tsx start\.ts\b/u);
    expect(text).toContain('"type": "module"');
    expect(text).toMatch(/npm install[^\n`]* -D tsx|npm install --save-dev tsx/u);
  });

  it('README: the example prints the error of a failed first call, and prints no code as text', () => {
    const [example = ''] = tsBlocks(read('README.md'));
    expect(example).toContain('vbox.inspect(');
    expect(example).toMatch(/status\.isErr\(\)[^\n]*console\.error|status\.match\(/u);
    expect(example).not.toMatch(/['"`][^'"`\n]*vbox\.giveBack\([^'"`\n]*['"`]/u);
  });

  it('autopilot: a ts block reads plan.entries[].reason, plan.budget and maybeApplied', () => {
    const blocks = tsBlocks(read('docs/autopilot.md'));
    const shown = blocks.find((b) => b.includes('maybeApplied'));
    expect(shown).toBeDefined();
    expect(shown).toMatch(/\.reason\b/u);
    expect(shown).toMatch(/plan[^\n]*\.budget\b|budget\?\.budgetMb/u);
    expect(shown).toMatch(/\.entries\b/u);
  });
});
