// Regression: issue 20 item 14. Every ```console simulate block of docs/cli.md is run again over the simulated host
// (in process, one fresh state directory per block, so that the commands of a block see each other's changes) and
// must print what the doc shows, allowing for times, durations, UUIDs and how many progress lines a wait printed.
// `UPDATE_DOCS=1 npx vitest run test/docs/cli-doc.test.ts` writes what the commands print into the doc instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { newStateDir } from '../helpers/cli.js';

const DOC = fileURLToPath(new URL('../../docs/cli.md', import.meta.url));
const text = readFileSync(DOC, 'utf8');
const BLOCK = /^```console simulate\n([\s\S]*?)^```$/gmu;
const blocks = [...text.matchAll(BLOCK)].map((m) => ({ body: m[1] ?? '', line: text.slice(0, m.index).split('\n').length }));

/** Split a shell word list as the doc writes it: words, 'single quoted', "double quoted". */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/gu)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** What the block's commands print now, as the doc would show it: `$ command`, then stdout and stderr as they came. */
async function replay(body: string): Promise<string> {
  const env = { VBOX_BALLOON_STATE_DIR: newStateDir(), PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
  let out = '';
  let last = 0;
  for (const line of body.split('\n')) {
    if (!line.startsWith('$ ')) continue;
    out += `${line}\n`;
    const [cmd, ...args] = words(line.slice(2));
    if (cmd === 'echo' && args[0] === '$?') out += `${last}\n`;
    else if (cmd === 'vbox-balloon') {
      const write = (t: string): boolean => ((out += t), true);
      last = await run([...args, '--simulate'], { stdout: { write }, stderr: { write }, env }, { signal: new AbortController().signal }, '0.1.0');
    } else throw new Error(`docs/cli.md: the simulated examples run only vbox-balloon and 'echo $?', not: ${line}`);
  }
  return out;
}

/** What may differ between runs: times, durations, UUIDs, and how far a wait had got at each progress line. */
function normalize(s: string): string {
  const lines = s
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/gu, '<time>')
    .replace(/[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}/giu, '<uuid>')
    .replace(/\b\d+(?:\.\d+)? ?(?:ms|s)\b/gu, '<duration>')
    .replace(/balloon \d+\/(\d+) MB, <duration> \(Ctrl-C/gu, 'balloon N/$1 MB, <duration> (Ctrl-C')
    .trimEnd()
    .split('\n');
  return lines.filter((l, i) => !(l.includes('(Ctrl-C stops waiting') && lines[i - 1] === l)).join('\n');
}

describe('docs/cli.md: the simulated examples print what the doc shows', () => {
  it('has simulated examples', () => {
    expect(blocks.length).toBeGreaterThan(10);
  });

  if (process.env['UPDATE_DOCS'] === '1') {
    it('writes what the commands print into the doc', { timeout: 300_000 }, async () => {
      let updated = text;
      for (const b of blocks) updated = updated.replace(`\`\`\`console simulate\n${b.body}\`\`\``, `\`\`\`console simulate\n${await replay(b.body)}\`\`\``);
      writeFileSync(DOC, updated);
    });
    return;
  }

  it.each(blocks)('the block at line $line', { timeout: 60_000 }, async ({ body }) => {
    expect(normalize(await replay(body))).toBe(normalize(body));
  });
});
