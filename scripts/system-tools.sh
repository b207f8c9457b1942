#!/usr/bin/env bash
# The system tools the tests use, checked before any test runs; `npm test` and `.ci/run` both call this script.
#   sshd, ssh, ssh-keygen  a private OpenSSH server on 127.0.0.1 for the remote-host tests (openssh-server, openssh-client)
#   script                 the CLI's pseudo-terminal tests (bsdutils, util-linux's `script`)
#   promtool, prometheus   the metrics tests check expositions and scrape with a real Prometheus (prometheus)
#   systemd-analyze        the service tests verify the shipped unit (systemd)
# Where a tool is missing and this machine can install it (root and apt-get), the Debian packages are installed without
# starting any system service. Where it cannot, one line names the packages and the command, and the script exits 1.
set -uo pipefail

need() { # need TOOL PACKAGE: a tool on PATH (or in the sbin folders, where sshd lives), else its package is missing
  local tool=$1 pkg=$2
  if command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || [ -x "/sbin/$tool" ]; then return; fi
  case " ${missing[*]-} " in *" $pkg "*) ;; *) missing+=("$pkg") ;; esac
}

missing=()
need sshd openssh-server
need ssh openssh-client
need ssh-keygen openssh-client
need script bsdutils
need promtool prometheus
need prometheus prometheus
need systemd-analyze systemd
[ ${#missing[@]} -eq 0 ] && exit 0

install_line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need these system packages: ${missing[*]}. Install them first (as root on Debian/Ubuntu: $install_line)." >&2
  exit 1
fi

echo "Installing the system packages the tests need: ${missing[*]}" >&2
# Keep package installs from starting system services (a system sshd on port 22, a prometheus on 9090): invoke-rc.d
# asks policy-rc.d, and 101 means "not allowed".
made_policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
fi
log=$(mktemp)
ok=1
{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1 || ok=
[ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
if [ -z "$ok" ]; then
  tail -n 20 "$log" >&2
  rm -f "$log"
  echo "Could not install ${missing[*]}; install them by hand ($install_line) and run the tests again." >&2
  exit 1
fi
rm -f "$log"
# Where a package started a service anyway (systemd as PID 1 ignores policy-rc.d), stop it again.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  systemctl stop prometheus prometheus-node-exporter ssh 2>/dev/null || true
fi
exit 0
