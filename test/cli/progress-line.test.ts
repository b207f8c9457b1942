// On a terminal, the progress of `set --wait` is one line redrawn in place; a warning or an error written meanwhile
// clears it first, so that it never lands on the progress line.
import { describe, expect, it } from 'vitest';
import { startProgress } from '../../src/cli/progress.js';
import { Ui } from '../../src/cli/ui.js';

function terminal(): { ui: Ui; text: () => string } {
  let err = '';
  const stderr = { isTTY: true, write: (t: string) => (err += t) };
  const stdout = { isTTY: true, write: () => true };
  const ui = new Ui({ stdout, stderr, env: { NO_COLOR: '1' } }, { json: false, quiet: false, verbose: false, noColor: true });
  return { ui, text: () => err };
}

// What a terminal shows: a carriage return goes back to the start of the line, ESC[2K erases it.
function screen(raw: string): string[] {
  const lines: string[] = [''];
  for (const part of raw.split(/(\r|\n|\u001b\[2K)/u)) {
    if (part === '\n') lines.push('');
    else if (part === '\u001b[2K' || part === '\r') lines[lines.length - 1] = part === '\r' ? (lines.at(-1) ?? '') : '';
    else lines[lines.length - 1] = (lines.at(-1) ?? '') + part;
  }
  return lines;
}

describe('the progress line on a terminal', () => {
  it('a warning written while it is shown starts on a clean line', () => {
    const { ui, text } = terminal();
    const progress = startProgress(ui, 'web-1', 1024);
    progress.update(512, 1000);
    ui.warn('web-1', 'the guest is slow to inflate');
    progress.stop();
    const lines = screen(text());
    expect(lines).toContain('warning: web-1: the guest is slow to inflate');
    expect(lines.every((l) => !/balloon 512\/1024 MB.*warning/u.test(l))).toBe(true);
  });

  it('an error written while it is shown starts on a clean line too', () => {
    const { ui, text } = terminal();
    const progress = startProgress(ui, 'web-1', 1024);
    progress.update(100, 500);
    ui.failure('the wait was interrupted');
    progress.stop();
    expect(screen(text())).toContain('error: the wait was interrupted');
  });
});
