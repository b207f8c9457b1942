import { err, ok, type Result } from 'neverthrow';
import { hostUnsupported, type HostUnsupportedError, type InvalidArgumentError } from '../errors/index.js';
import { notHostInfo } from './shape.js';

/** The host where VBoxManage runs, as `VBoxManage list hostinfo` reports it. */
export interface HostInfo {
  /** Operating system: `Linux`, `Darwin` (macOS), `FreeBSD`, `SunOS`, or a Windows product name such as `Windows 11`. */
  readonly os: string;
  /** Operating system version, or `null` when not reported. */
  readonly osVersion: string | null;
  /** Total host RAM in MB. */
  readonly memoryMb: number;
  /** Host RAM available in MB (the figure VBoxBalloonCtrl uses for its safety margin). */
  readonly memoryAvailableMb: number;
  /**
   * Whether the host is 64-bit; `null` when unknown. `list hostinfo` does not print it; VirtualBox 6.0 and later
   * ship 64-bit host builds only.
   */
  readonly is64Bit: boolean | null;
}

/** Host operating-system families that VirtualBox can balloon on (see `Machine::setMemoryBalloonSize`). */
export type HostFamily = 'windows' | 'linux' | 'solaris' | 'freebsd' | 'macos' | 'other';

/** Classify a reported host OS name. */
export function hostFamily(os: string): HostFamily {
  const s = os.trim().toLowerCase();
  if (s.startsWith('darwin') || s.includes('mac os') || s.includes('macos') || s.includes('os x')) return 'macos';
  if (s.startsWith('windows')) return 'windows';
  if (s.startsWith('linux')) return 'linux';
  if (s.startsWith('sunos') || s.includes('solaris') || s.includes('illumos')) return 'solaris';
  if (s.startsWith('freebsd')) return 'freebsd';
  return 'other';
}

/**
 * Whether VirtualBox can balloon on this host: only 64-bit Windows, Linux, Solaris and FreeBSD.
 * macOS hosts (any architecture) and 32-bit hosts refuse every balloon, even 0.
 */
export function checkHostSupport(host: HostInfo): Result<HostInfo, HostUnsupportedError | InvalidArgumentError> {
  const bad = notHostInfo(host);
  return bad === null ? hostSupport(host) : err(bad);
}

/** {@link checkHostSupport} of a `HostInfo` the SDK itself read. @internal */
export function hostSupport(host: HostInfo): Result<HostInfo, HostUnsupportedError> {
  const family = hostFamily(host.os);
  if (family === 'macos') {
    return err(
      hostUnsupported(
        host.os,
        'VirtualBox does not implement memory ballooning on macOS hosts (it answers "Memory ballooning is only supported on 64-bit hosts")',
      ),
    );
  }
  if (host.is64Bit === false) {
    return err(hostUnsupported(host.os, 'the host is 32-bit ("Memory ballooning is only supported on 64-bit hosts")'));
  }
  if (family === 'other') {
    return err(hostUnsupported(host.os, `VirtualBox ballooning is not built for host OS ${JSON.stringify(host.os)}`));
  }
  return ok(host);
}

/**
 * Whether VirtualBox can use Page Fusion (`modifyvm --pagefusion`) on this host: only 64-bit hosts, not macOS
 * (VirtualBox's manual). Elsewhere VirtualBox refuses even turning it off.
 */
export function checkPageFusionHost(host: HostInfo): Result<HostInfo, HostUnsupportedError | InvalidArgumentError> {
  const bad = notHostInfo(host);
  return bad === null ? pageFusionHostSupport(host) : err(bad);
}

/** {@link checkPageFusionHost} of a `HostInfo` the SDK itself read. @internal */
export function pageFusionHostSupport(host: HostInfo): Result<HostInfo, HostUnsupportedError> {
  if (hostFamily(host.os) === 'macos') return err(hostUnsupported(host.os, 'VirtualBox does not support Page Fusion on macOS hosts', null, 'page fusion'));
  if (host.is64Bit === false) return err(hostUnsupported(host.os, 'the host is 32-bit ("Page fusion is only supported on 64-bit hosts")', null, 'page fusion'));
  return ok(host);
}
