// Constructors of the errors about changes refused, partly made, or not reachable. @internal
import type { AutopilotRunningError, ChangeOutcome, LeftOutVm, ReclaimShortfallError, SshFailedError, SshFailureKind } from './error-types.js';
import type { ApplyFailedError, BalloonError, BlockedError, ChangeRecord, CloneUndone } from './error-union.js';
import { freeze, shellWord, show, unknownNote } from './format.js';
import { fixed, lit, option, type FixStep } from './fix.js';

/**
 * What a refused change returns: one blocker comes back as itself (so `switch (e.code)` sees the cause), several as
 * `BLOCKED` with every one in `blockers`. @internal
 */
export function refusal<E extends BalloonError>(vm: string, operation: string, blockers: readonly E[]): E | BlockedError {
  return blockers.length === 1 && blockers[0] !== undefined ? blockers[0] : blocked(vm, operation, blockers);
}

/** @internal */
export function blocked(vm: string, operation: string, blockers: readonly BalloonError[]): BlockedError {
  const reasons = blockers.map((b, i) => `(${i + 1}) ${b.message}`).join(' ');
  return freeze({
    code: 'BLOCKED',
    vm,
    operation,
    blockers,
    message: `Cannot make the ${operation} on VM ${show(vm)}; ${blockers.length === 1 ? 'one reason' : `${blockers.length} reasons`}: ${reasons}`,
  });
}

/** @internal */
export function reclaimShortfall(requestedMb: number, reclaimableMb: number, keepGuestFreeMb: number, leftOut: readonly LeftOutVm[] = [], keepGuestFreePercent = 0): ReclaimShortfallError {
  const keeps = keepGuestFreePercent > 0 ? `${keepGuestFreeMb} MB (or ${keepGuestFreePercent} % of its RAM, if more)` : `${keepGuestFreeMb} MB`;
  const out = leftOut.length === 0 ? '' : ` Left out: ${leftOut.map((l) => `${show(l.vm)} (${l.reason})`).join('; ')}.`;
  const can = reclaimableMb > 0 ? `the running guests can give up only ${reclaimableMb} MB while each keeps ${keeps} free` : `no running guest can give anything while each keeps ${keeps} free`;
  const fix = fixed(
    reclaimableMb > 0 ? `Ask for ${reclaimableMb} MB or less, {0}, or start or include more VMs.` : 'Start VMs with the Guest Additions running, {0}, or include other VMs.',
    option('keepGuestFreeMb', 'lower'),
  );
  return freeze({
    code: 'RECLAIM_SHORTFALL',
    vm: null,
    requestedMb,
    reclaimableMb,
    leftOut,
    message: `Cannot reclaim ${requestedMb} MB: ${can}.${out} ${fix.words} Nothing was changed.`,
    fix: fix.fix,
  });
}

const SSH_FIX: Readonly<Record<SshFailureKind, string>> = {
  refused: 'Nothing listens for ssh there: check that sshd runs on the host and the port is right.',
  unreachable: 'Check the host name, the network and the firewall (ConnectTimeout can be raised in ssh options).',
  auth: 'The key was refused: check the user, the {0}, and that its public key is in ~/.ssh/authorized_keys on the host (BatchMode is on: ssh never asks for a password).',
  'host-key-unknown': "The host's key is not in known_hosts: connect once by hand (ssh user@host) and check its fingerprint, or add it with ssh-keyscan after checking it.",
  'host-key-changed': "The host's key differs from the one in known_hosts: this may be an attack. Check with the host's admin before you remove the old key (ssh-keygen -R host).",
  dropped: 'The connection was lost during the call: check the network and the host, then inspect the VM before you try again.',
  shell: "The remote login shell is not a POSIX shell (Windows' cmd.exe or PowerShell): vbox-balloon needs sh, bash, zsh or similar on the remote host.",
  other: 'Run the same ssh command by hand with -v to see why.',
};

/** @internal */
export function sshFailed(host: string, kind: SshFailureKind, argv: readonly string[], stderr: string, vm: string | null, outcome: ChangeOutcome = 'not-applied'): SshFailedError {
  const first = stderr.trim().split(/\r?\n/u).find((l) => l.trim() !== '') ?? `ssh exited 255`;
  const subject = vm === null ? '' : ` for VM ${show(vm)}`;
  // The steps in the order of their placeholders: the key's file (auth: {0}), then reading the VM again.
  const steps: FixStep[] = kind === 'auth' ? [option('identityFile')] : [];
  if (outcome === 'unknown') steps.push({ kind: 'inspect', vm });
  const f = fixed(`${outcome === 'unknown' ? `${unknownNote(steps.length - 1)} ` : ''}${SSH_FIX[kind]}`, ...steps);
  return freeze({
    code: 'SSH_FAILED',
    vm,
    host,
    kind,
    argv,
    stderr,
    transient: kind === 'refused' || kind === 'unreachable' || kind === 'dropped',
    outcome,
    message: `Could not run VBoxManage ${argv.join(' ')}${subject} on ${host} over ssh (${kind}): ${first}. ${f.words}`,
    ...(steps.length === 0 ? {} : { fix: f.fix }),
  });
}

/** @internal */
export function autopilotRunning(): AutopilotRunningError {
  const stop = fixed('Stop the first ({0}) before starting another.', { kind: 'stop-autopilot' });
  return freeze({
    code: 'AUTOPILOT_RUNNING',
    vm: null,
    message: `This controller already runs an autopilot; two would fight over the same balloons. ${stop.words}`,
    fix: stop.fix,
  });
}

/** @internal */
export function applyFailed(cause: BalloonError, changes: readonly ChangeRecord[], clone?: CloneUndone): ApplyFailedError {
  const restored = changes.filter((c) => c.rollback === 'restored').map((c) => ({ vm: c.vm, toMb: c.fromMb }));
  const notRestored = changes.flatMap((c) => (c.rollback === 'failed' && c.rollbackError !== null ? [{ vm: c.vm, error: c.rollbackError }] : []));
  const steps: FixStep[] = [];
  const each = changes.map((c) => {
    const done = c.outcome === 'applied' ? `set ${c.fromMb} -> ${c.toMb} MB` : `${c.fromMb} -> ${c.toMb} MB may or may not have been applied`;
    if (c.rollback === 'failed') steps.push({ kind: 'set-live-balloon', vm: c.vm, sizeMb: c.fromMb });
    const back = c.rollback === 'restored' ? `put back to ${c.fromMb} MB` : c.rollback === 'failed' ? `NOT put back (set it back by hand: {${steps.length - 1}})` : 'kept';
    return `${lit(show(c.vm))} ${done}, ${back}`;
  });
  const made = clone === undefined ? '' : ` The clone ${show(clone.name)} had been made (${clone.argv.join(' ')}); ${clone.removed ? 'it was removed again' : `it is LEFT (${clone.error?.message ?? 'not removed'}): remove it with VBoxManage unregistervm ${shellWord(clone.name)} --delete`}.`;
  const summary = fixed(changes.length === 0 ? (clone === undefined ? 'Nothing had been changed.' : 'No balloon had been changed.') : `What was done: ${each.join('; ')}.`, ...steps);
  return freeze({
    code: 'APPLY_FAILED',
    vm: cause.vm,
    cause,
    changes,
    restored,
    notRestored,
    ...(clone === undefined ? {} : { clone }),
    message: `The change stopped at VM ${show(cause.vm ?? '?')}: ${cause.message} ${summary.words}${made}`,
    ...(steps.length === 0 ? {} : { fix: summary.fix }),
  });
}
