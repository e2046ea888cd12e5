// How long-running services are started on a node: a supervisor script (sandbox nodes: restart on
// exit, one instance per service thanks to flock, inside the node's cgroup and namespaces) or
// systemd units (VMs). Both expose the same shell snippets to bootstrap.
import type { ServiceManager } from './types';
import { NODE } from './node-paths';

export const SUPERVISE_SCRIPT = `#!/bin/sh
# Flotilla node supervisor: supervise NAME CMD... — runs CMD, restarts it when it exits (systemd's Restart=always).
# The wait before a restart starts at 1 s and doubles up to 30 s while CMD keeps exiting within 10 s of its start
# (systemd's RestartSteps/RestartMaxDelaySec); a run of 10 s or more resets it. Each exit is logged.
# One supervisor per NAME (flock); pid in ${NODE.runDir}/NAME.pid; SIGTERM stops CMD and itself.
name=$1; shift
export PATH=${NODE.path}
mkdir -p ${NODE.runDir} ${NODE.logDir}
exec 9>>"${NODE.runDir}/$name.lock"
flock -n 9 || exit 0
echo $$ > "${NODE.runDir}/$name.pid"
child=
nap=
delay=1
stopping=
# SIGTERM may come between a fork and the line that records its PID: the trap only marks it and signals what is
# recorded; every step checks the mark right after recording a PID and after each wait, and finish ends it all. The
# wait's sleep gets SIGKILL: a TERM sent while its shell is still between fork and exec can be lost. So can the
# service's: finish sends it again after 1 s, and SIGKILL after FLOTILLA_STOP_TIMEOUT seconds (default 10: systemd's
# TimeoutStopSec, shorter) to a service still running. It waits in 1 s ticks: with a CHLD trap set, the end of a
# tick's sleep interrupts the wait for the service; the service's own end ends the wait and is reaped by it.
stop() { stopping=1; if [ -n "$nap" ]; then kill -KILL "$nap" 2>/dev/null; fi; if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; fi; }
finish() {
  if [ -n "$nap" ]; then kill -KILL "$nap" 2>/dev/null; wait "$nap"; nap=; fi
  if [ -n "$child" ]; then
    kill -TERM "$child" 2>/dev/null
    trap : CHLD
    ticks=0
    while :; do
      sleep 1 9>&- &
      tick=$!
      wait "$child"
      kill -KILL "$tick" 2>/dev/null; wait "$tick"
      kill -0 "$child" 2>/dev/null || break
      ticks=$((ticks + 1))
      if [ "$ticks" -eq 1 ]; then kill -TERM "$child" 2>/dev/null; fi
      if [ "$ticks" -ge "\${FLOTILLA_STOP_TIMEOUT:-10}" ]; then kill -KILL "$child" 2>/dev/null; fi
    done
  fi
  rm -f "${NODE.runDir}/$name.pid"; exit 0
}
trap stop TERM INT
while :; do
  started=$(date +%s)
  "$@" 9>&- &
  child=$!
  if [ -n "$stopping" ]; then finish; fi
  wait "$child"
  code=$?
  if [ -n "$stopping" ]; then finish; fi
  child=
  if [ $(($(date +%s) - started)) -ge 10 ]; then delay=1; fi
  echo "$(date -Is) $name exited with $code; restarting in $delay s" >&2
  sleep "$delay" 9>&- &
  nap=$!
  if [ -n "$stopping" ]; then finish; fi
  wait "$nap"
  if [ -n "$stopping" ]; then finish; fi
  nap=
  delay=$((delay * 2)); if [ "$delay" -gt 30 ]; then delay=30; fi
done
`;

export interface ServiceDef {
  name: string;
  argv: string[];
  /** Environment of the service beyond PATH. */
  env?: Readonly<Record<string, string>>;
}

const sq = (s: string): string => `'${s.replace(/'/g, '\'\\\'\'')}'`;

function unit(def: ServiceDef): string {
  return `[Unit]
Description=Flotilla ${def.name}
After=network-online.target
StartLimitIntervalSec=0

[Service]
Environment=PATH=${NODE.path}
${Object.entries(def.env ?? {}).map(([k, v]) => `Environment=${k}=${v}\n`).join('')}ExecStart=${def.argv.join(' ')}
Restart=always
RestartSec=1
RestartSteps=5
RestartMaxDelaySec=30
KillMode=process
Delegate=yes
LimitNOFILE=1048576
StandardOutput=append:${NODE.logDir}/${def.name}.log
StandardError=append:${NODE.logDir}/${def.name}.log

[Install]
WantedBy=multi-user.target
`;
}

/** Shell: is the service running? (exit 0 when yes) */
export function isRunningCmd(mgr: ServiceManager, name: string): string {
  if (mgr === 'systemd') return `systemctl is-active --quiet flotilla-${name}`;
  // The pid must still be our supervisor of that service (PIDs get reused: pid_max can be 32768).
  return `pid=$(cat ${NODE.runDir}/${name}.pid 2>/dev/null) && [ -n "$pid" ] && tr '\\0' ' ' < /proc/$pid/cmdline 2>/dev/null | grep -q "supervise ${name} "`;
}

/** Shell: start the service if it is not running (idempotent). */
export function startCmd(mgr: ServiceManager, def: ServiceDef): string {
  if (mgr === 'systemd') {
    return `printf '%s' ${sq(unit(def))} > /etc/systemd/system/flotilla-${def.name}.service && systemctl daemon-reload && systemctl enable --now flotilla-${def.name} >/dev/null 2>&1 && systemctl start flotilla-${def.name}`;
  }
  const args = [NODE.supervise, def.name, ...def.argv].map(sq).join(' ');
  const env = Object.entries(def.env ?? {}).map(([k, v]) => `${k}=${sq(v)} `).join('');
  return `mkdir -p ${NODE.logDir} && if ! { ${isRunningCmd(mgr, def.name)}; }; then ${env ? `env ${env}` : ''}setsid -f /bin/sh ${args} </dev/null >>${NODE.logDir}/${def.name}.log 2>&1; fi`;
}

/** Shell: stop the service and wait for it to be gone. */
export function stopCmd(mgr: ServiceManager, name: string): string {
  if (mgr === 'systemd') return `systemctl stop flotilla-${name} 2>/dev/null || true`;
  // Only ever signal our own supervisor (checked by its command line, never a bare PID).
  return `if ${isRunningCmd(mgr, name)}; then kill -TERM "$pid"; i=0; while ${isRunningCmd(mgr, name)} && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; fi; true`;
}
