import type { SshFailureKind } from '../../errors/index.js';

/** What an ssh client's exit 255 means, from its own fixed messages (never from anything the remote side prints). @internal */
export function sshFailureKind(stderr: string): SshFailureKind {
  const s = stderr;
  // Failures to connect or log in are always printed; a shared connection that dies under a call often says nothing.
  if (s.trim() === '') return 'dropped';
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/u.test(s)) return 'host-key-changed';
  if (/No \S+ host key is known for|Host key verification failed/u.test(s)) return 'host-key-unknown';
  if (/Permission denied \(|Too many authentication failures|no mutual signature/u.test(s)) return 'auth';
  if (/[Cc]onnect(?:ion)? to .* port \d+: Connection refused|Connection refused/u.test(s)) return 'refused';
  if (/Could not resolve hostname|No route to host|Network is unreachable|Connection timed out|Operation timed out/u.test(s)) return 'unreachable';
  if (/Connection closed by|Connection reset by|Broken pipe|Timeout, server .* not responding|client_loop: send disconnect|Connection to .* closed/u.test(s)) return 'dropped';
  return 'other';
}
