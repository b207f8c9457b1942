import { err, ok, type Result } from 'neverthrow';
import { parseError, type ParseError } from '../../errors.js';

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

/** Parse `VBoxManage --version`; the version line is found by its pattern, so stray warning lines do no harm. */
export function parseVersion(text: string): Result<VBoxVersion, ParseError> {
  for (const line of text.replace(/\r\n?/gu, '\n').split('\n')) {
    const raw = line.trim();
    const m = /^(\d+)\.(\d+)\.(\d+)(\S*?)r(\d+)$/u.exec(raw);
    if (m !== null) {
      const [, major, minor, build, suffix, revision] = m;
      return ok({ major: Number(major), minor: Number(minor), build: Number(build), revision: Number(revision), suffix: suffix ?? '', raw });
    }
  }
  return err(parseError('--version', text, 'no line looks like a VirtualBox version (such as 7.0.10r158379)'));
}
