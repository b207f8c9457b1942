import { err, ok, type Result } from 'neverthrow';
import { parseError, type ParseError } from '../../errors/index.js';
import { isDigit, lines, NOT_TEXT, safeInt } from './scan.js';

/** A VirtualBox version as `VBoxManage --version` prints it, for example `6.1.38_Ubuntur153438`. */
export interface VBoxVersion {
  /** Major version, e.g. 7. */
  readonly major: number;
  /** Minor version, e.g. 0. */
  readonly minor: number;
  /** Build number, e.g. 10. */
  readonly build: number;
  /** SVN revision, e.g. 158379. */
  readonly revision: number;
  /** Pre-release or publisher suffix such as `_Ubuntu` or `_BETA1`; empty for plain builds. */
  readonly suffix: string;
  /** The version line as printed. */
  readonly raw: string;
}

// `<major>.<minor>.<build><suffix>r<revision>`, read by hand in one pass (the suffix has no white space).
function readVersionLine(raw: string): VBoxVersion | null | 'too-big' {
  const parts: number[] = [];
  let i = 0;
  for (let part = 0; part < 3; part++) {
    const start = i;
    while (isDigit(raw[i])) i++;
    if (i === start) return null;
    const n = safeInt(raw.slice(start, i));
    if (n === null) return 'too-big';
    parts.push(n);
    if (part < 2) {
      if (raw[i] !== '.') return null;
      i++;
    }
  }
  const rest = raw.slice(i);
  const r = rest.lastIndexOf('r');
  if (r === -1 || r === rest.length - 1) return null;
  const digits = rest.slice(r + 1);
  for (let k = 0; k < digits.length; k++) if (!isDigit(digits[k])) return null;
  const suffix = rest.slice(0, r);
  if (/\s/u.test(suffix)) return null;
  const revision = safeInt(digits);
  if (revision === null) return 'too-big';
  const [major = 0, minor = 0, build = 0] = parts;
  return { major, minor, build, revision, suffix, raw };
}

/** Parse `VBoxManage --version`; the version line is found by its pattern, so stray warning lines do no harm. */
export function parseVersion(text: string): Result<VBoxVersion, ParseError> {
  if (typeof text !== 'string') return err(parseError('--version', '', NOT_TEXT));
  let tooBig = false;
  for (const line of lines(text)) {
    const v = readVersionLine(line.trim());
    if (v === 'too-big') tooBig = true;
    else if (v !== null) return ok(v);
  }
  return err(
    parseError('--version', text, tooBig ? 'a version number is too large to be real' : 'no line looks like a VirtualBox version (such as 7.0.10r158379)'),
  );
}
