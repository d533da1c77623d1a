#!/usr/bin/env bash
# Stops the test mail server that tests/mailserver/start.sh started in STATE: exactly its
# Postfix and Dovecot masters, then any of their children still left. Never by name.
#
#   tests/mailserver/stop.sh STATE [--purge] [--only dovecot|postfix]
#
# A master is found through its pid file and checked before it is signalled: /proc/PID/exe
# must be the daemon's binary, and the process must belong to STATE (Dovecot's command line
# names STATE/dovecot/dovecot.conf, Postfix's environment has MAIL_CONFIG=STATE/postfix/etc).
# If the pid file is gone or stale, the same checks are run on every process instead.
# --purge then deletes STATE (only a state dir that start.sh made). --only stops one daemon
# (restart-dovecot.sh). Stopping what is not running succeeds.
set -euo pipefail

MARKER=.baocao-mailserver
DOVECOT_BIN=/usr/sbin/dovecot
POSTFIX_MASTER=/usr/lib/postfix/sbin/master

log() { printf '[mailserver] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

STATE=""
PURGE=0
ONLY=""
while [ $# -gt 0 ]; do
  case $1 in
    --purge)
      PURGE=1
      shift
      ;;
    --only)
      [ $# -ge 2 ] || die "--only needs dovecot or postfix"
      ONLY=$2
      shift 2
      ;;
    -h | --help)
      sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*) die "unknown option $1" ;;
    *)
      [ -z "$STATE" ] || die "only one STATE directory, got '$STATE' and '$1'"
      STATE=$1
      shift
      ;;
  esac
done
[ -n "$STATE" ] || die "usage: stop.sh STATE [--purge] [--only dovecot|postfix]"
case $ONLY in "" | dovecot | postfix) ;; *) die "--only takes dovecot or postfix, not '$ONLY'" ;; esac
[ "$PURGE" = 0 ] || [ -z "$ONLY" ] || die "--purge and --only do not go together"
if [ ! -d "$STATE" ]; then
  log "$STATE does not exist: nothing to stop"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || die "must run as root"
STATE=$(cd "$STATE" && pwd -P)

# ---------------------------------------------------------------- processes
# Reads the state letter and the session id of a process into P_STATE and P_SID without
# forking (forks are slow here); fails if the process is gone.
proc_stat() {
  local line f
  { read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
  read -r -a f <<<"${line##*) }" # the command name in brackets may contain spaces
  P_STATE=${f[0]}
  P_SID=${f[3]}
}

# A process that exists and is not a zombie (kill -0 succeeds on zombies).
alive() {
  proc_stat "$1" || return 1
  case $P_STATE in Z | X | x) return 1 ;; esac
}

exe_of() {
  local exe
  exe=$(readlink "/proc/$1/exe" 2>/dev/null) || return 1
  printf '%s\n' "${exe% (deleted)}"
}

# True if PID is the master of NAME (dovecot or postfix) for this STATE: the right binary,
# and this state's config (Dovecot's command line, Postfix's MAIL_CONFIG).
is_master() {
  local name=$1 pid=$2 bin want list a x found=0
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  case $name in
    dovecot) bin=$DOVECOT_BIN want=$STATE/dovecot/dovecot.conf list=cmdline ;;
    postfix) bin=$POSTFIX_MASTER want=MAIL_CONFIG=$STATE/postfix/etc list=environ ;;
    *) return 1 ;;
  esac
  { mapfile -d '' -t a <"/proc/$pid/$list"; } 2>/dev/null || return 1
  for x in "${a[@]}"; do [ "$x" != "$want" ] || found=1; done
  [ "$found" = 1 ] || return 1
  [ "$(exe_of "$pid")" = "$bin" ]
}

pid_file() {
  case $1 in
    dovecot) echo "$STATE/dovecot/run/master.pid" ;;
    postfix) echo "$STATE/postfix/spool/pid/master.pid" ;;
  esac
}

# Prints the pid of NAME's master for this STATE: from the pid file, or else by checking
# every process with the same tests (a deleted or overwritten pid file).
master_pid() {
  local name=$1 pid="" d want arg0
  [ -r "$(pid_file "$name")" ] && read -r pid <"$(pid_file "$name")"
  if is_master "$name" "$pid"; then
    echo "$pid"
    return 0
  fi
  [ "$name" = dovecot ] && want=$DOVECOT_BIN || want=$POSTFIX_MASTER
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    arg0=""
    { read -r -d '' arg0 <"$d/cmdline"; } 2>/dev/null || true
    [ "$arg0" = "$want" ] || continue
    if is_master "$name" "$pid"; then
      log "$name: pid file $(pid_file "$name") is missing or stale; found the master by its config"
      echo "$pid"
      return 0
    fi
  done
  return 1
}

now_us() { REPLY=${EPOCHREALTIME//[!0-9]/}; }

# Waits until none of the pids is alive; fails after SECONDS.
wait_gone() { # SECONDS PID...
  local deadline p left
  now_us
  deadline=$((REPLY + $1 * 1000000))
  shift
  while :; do
    left=0
    for p in "$@"; do alive "$p" && left=1; done
    [ "$left" = 1 ] || return 0
    now_us
    [ "$REPLY" -lt "$deadline" ] || return 1
    sleep 0.02
  done
}

# Processes still in session SID that run a Dovecot or Postfix binary.
leftovers() {
  local sid=$1 d pid exe
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    proc_stat "$pid" || continue
    if [ "$P_SID" != "$sid" ] || [ "$pid" = "$sid" ]; then continue; fi
    case $P_STATE in Z | X | x) continue ;; esac
    exe=$(exe_of "$pid") || continue
    case $exe in
      "$DOVECOT_BIN" | /usr/lib/dovecot/* | /usr/lib/postfix/sbin/* | /usr/sbin/post*) echo "$pid" ;;
    esac
  done
}

stop_one() {
  local name=$1 pid sid rest
  if ! pid=$(master_pid "$name"); then
    log "$name: not running"
    return 0
  fi
  sid=$pid
  ! proc_stat "$pid" || sid=$P_SID
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone 15 "$pid"; then
    log "$name: master $pid ignored SIGTERM for 15 s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone 5 "$pid" || die "$name: master $pid does not die"
  fi
  # Both masters call setsid(): their children share the session whose id is the master's pid.
  mapfile -t rest < <(leftovers "$sid")
  if [ ${#rest[@]} -gt 0 ]; then
    local p desc=()
    for p in "${rest[@]}"; do desc+=("$p($(basename "$(exe_of "$p" || echo '?')"))"); done
    log "$name: stopping leftover children ${desc[*]}"
    kill -TERM "${rest[@]}" 2>/dev/null || true
    if ! wait_gone 5 "${rest[@]}"; then
      kill -KILL "${rest[@]}" 2>/dev/null || true
      wait_gone 5 "${rest[@]}" || die "$name: children ${rest[*]} do not die"
    fi
  fi
  log "$name: stopped (master $pid)"
}

# Postfix first, so that it does not try to deliver to an LMTP server that is going away.
[ "$ONLY" = dovecot ] || stop_one postfix
[ "$ONLY" = postfix ] || stop_one dovecot

if [ "$PURGE" = 1 ]; then
  [ -e "$STATE/$MARKER" ] || die "$STATE was not made by start.sh ($MARKER missing); not deleting it"
  rm -rf -- "$STATE"
  log "deleted $STATE"
fi
