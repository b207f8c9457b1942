// VM states in words, for messages (error messages and the controller's reasons alike).
const WORDS: Readonly<Record<string, string>> = {
  poweroff: 'powered off',
  saved: 'saved',
  'aborted-saved': 'saved after a crash',
  teleported: 'teleported away',
  aborted: 'aborted (it crashed or was killed)',
  running: 'running',
  paused: 'paused',
  gurumeditation: 'stopped by a Guru Meditation (a crash)',
  teleporting: 'teleporting',
  livesnapshotting: 'taking a live snapshot',
  starting: 'starting',
  stopping: 'stopping',
  saving: 'saving its state',
  restoring: 'restoring its saved state',
  teleportingpausedvm: 'teleporting while paused',
  teleportingin: 'being teleported in',
  deletingsnapshotlive: 'deleting a snapshot while running',
  deletingsnapshotlivepaused: 'deleting a snapshot while paused',
  onlinesnapshotting: 'taking an online snapshot',
  restoringsnapshot: 'restoring a snapshot',
  deletingsnapshot: 'deleting a snapshot',
  settingup: 'being set up',
  snapshotting: 'taking a snapshot',
  unknown: 'in a state this SDK does not know',
  'not running': 'not running',
};

/** A VM state in words for a message: `poweroff` is "powered off", `unknown` "in a state this SDK does not know". */
export function stateInWords(state: string): string {
  return WORDS[state] ?? `in state ${JSON.stringify(state)}`;
}

/** Several states as a list in a sentence, each in a few words: "powered off, saved or aborted". */
export function statesInWords(states: readonly string[]): string {
  const short = [...new Set(states.map((s) => (s === 'aborted-saved' ? 'saved' : s === 'teleported' ? 'teleported' : stateInWords(s).replace(/ \(.*\)$/u, ''))))];
  const last = short.pop();
  return last === undefined ? 'in another state' : short.length === 0 ? last : `${short.join(', ')} or ${last}`;
}
