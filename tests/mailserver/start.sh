#!/usr/bin/env bash
# Starts a private test mail server for baocao on loopback: Dovecot (IMAP, IMAPS, LMTP) and
# Postfix (SMTP, SMTPS) delivering into Dovecot over LMTP. Everything (config, certificates,
# mail, logs, pid files) lives in one state directory; the system's own mail setup is left
# alone. Needs root (Debian 12). Installs the missing packages on the first run.
#
#   tests/mailserver/start.sh [STATE] [--only dovecot|postfix]
#
# STATE defaults to a new `mktemp -d /tmp/baocao-mail.XXXXXX`. Prints KEY=VALUE lines on
# stdout (also written to STATE/mailtest.env); log lines go to stderr. Rerunning it on a
# running STATE only prints the details; on a stopped one it restarts with the stored mail.
# `--only NAME` starts just that daemon, from the settings saved in STATE (restart-dovecot.sh).
#
# Settings, from the environment (on a restart, the saved values are the defaults):
#   MAILTEST_IMAP_PORT (1143) MAILTEST_IMAPS_PORT (1993) MAILTEST_SMTP_PORT (2525)
#   MAILTEST_SMTPS_PORT (2465) MAILTEST_LMTP_PORT (2424) MAILTEST_PASSWORD (secret)
#   MAILTEST_EXTRA_USERS ("a@x.test b@y.test", added to the standard users)
set -euo pipefail
umask 022

HOST=127.0.0.1
MARKER=.baocao-mailserver
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
DOVECOT_BIN=/usr/sbin/dovecot
POSTFIX_MASTER=/usr/lib/postfix/sbin/master
PACKAGES=(dovecot-core dovecot-imapd dovecot-lmtpd postfix openssl)

log() { printf '[mailserver] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# ---------------------------------------------------------------- cleanup on failure
POLICY_CREATED=0 # we made /usr/sbin/policy-rc.d: remove it again
STARTED=()       # daemons this run started: stop them if a later step fails
NEW_STATE=""     # a state dir this run made: delete it if the run fails
cleanup() {
  local rc=$? name ok=1
  [ "$POLICY_CREATED" = 0 ] || rm -f /usr/sbin/policy-rc.d
  [ "$rc" != 0 ] || return 0
  for name in "${STARTED[@]}"; do "$HERE/stop.sh" "$STATE" --only "$name" || ok=0; done
  if [ -n "$NEW_STATE" ] && [ "$ok" = 1 ]; then rm -rf -- "$NEW_STATE"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- arguments
STATE=""
ONLY=""
while [ $# -gt 0 ]; do
  case $1 in
    --only)
      [ $# -ge 2 ] || die "--only needs dovecot or postfix"
      ONLY=$2
      shift 2
      ;;
    -h | --help)
      sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
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
case $ONLY in "" | dovecot | postfix) ;; *) die "--only takes dovecot or postfix, not '$ONLY'" ;; esac
[ "$(id -u)" -eq 0 ] || die "must run as root (both daemons start as root and drop privileges)"

# ---------------------------------------------------------------- processes of this state
# Reads the state letter of a process into P_STATE without forking (forks are slow here);
# fails if the process is gone.
proc_stat() {
  local line f
  { read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
  read -r -a f <<<"${line##*) }" # the command name in brackets may contain spaces
  P_STATE=${f[0]}
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

# Prints the pid of NAME's master if it is running for this STATE.
master_pid() {
  local pid=""
  [ -r "$(pid_file "$1")" ] && read -r pid <"$(pid_file "$1")"
  is_master "$1" "$pid" || return 1
  echo "$pid"
}

# ---------------------------------------------------------------- step 1: the state directory
if [ -z "$STATE" ]; then
  STATE=$(mktemp -d /tmp/baocao-mail.XXXXXX)
  NEW_STATE=$STATE
  touch "$STATE/$MARKER"
  log "new state dir $STATE"
else
  if [ -e "$STATE" ] && [ ! -d "$STATE" ]; then die "$STATE exists and is not a directory"; fi
  if [ -d "$STATE" ] && [ ! -e "$STATE/$MARKER" ] && [ -n "$(ls -A "$STATE")" ]; then
    die "$STATE is not empty and is not a mail server state dir; refusing to use it"
  fi
  if [ ! -e "$STATE" ]; then
    mkdir -p "$STATE"
    NEW_STATE=$(cd "$STATE" && pwd -P)
  fi
  touch "$STATE/$MARKER"
fi
STATE=$(cd "$STATE" && pwd -P)
# Dovecot's Unix sockets live in STATE/dovecot/run; sun_path holds at most 108 bytes.
[ ${#STATE} -le 70 ] || die "state dir path is ${#STATE} characters long, at most 70 work (socket paths)"
ENV_FILE=$STATE/mailtest.env

print_details() { cat "$ENV_FILE"; }

DOVECOT_PID=$(master_pid dovecot) || DOVECOT_PID=""
POSTFIX_PID=$(master_pid postfix) || POSTFIX_PID=""
want_dovecot=1 want_postfix=1
[ "$ONLY" != postfix ] || want_dovecot=0
[ "$ONLY" != dovecot ] || want_postfix=0
[ -z "$DOVECOT_PID" ] || want_dovecot=0
[ -z "$POSTFIX_PID" ] || want_postfix=0
if [ "$want_dovecot" = 0 ] && [ "$want_postfix" = 0 ] && [ -r "$ENV_FILE" ]; then
  log "already running in $STATE (dovecot $DOVECOT_PID, postfix $POSTFIX_PID)"
  print_details
  exit 0
fi

# ---------------------------------------------------------------- settings
# Saved settings from an earlier start. While one daemon is still running, or with --only,
# only they count (the two daemons must agree on ports); otherwise the environment wins.
declare -A SAVED=()
if [ -r "$ENV_FILE" ]; then
  while IFS= read -r line; do
    [[ $line == MAILTEST_*=* ]] && SAVED[${line%%=*}]=${line#*=}
  done <"$ENV_FILE"
fi
locked=0
if [ -n "$DOVECOT_PID$POSTFIX_PID$ONLY" ]; then
  [ -r "$ENV_FILE" ] || die "no saved settings in $ENV_FILE; run start.sh $STATE without --only first"
  locked=1
fi
setting() { # KEY DEFAULT
  local key=$1 def=$2
  if [ "$locked" = 1 ]; then
    printf '%s\n' "${SAVED[$key]:-$def}"
  else
    printf '%s\n' "${!key:-${SAVED[$key]:-$def}}"
  fi
}
IMAP_PORT=$(setting MAILTEST_IMAP_PORT 1143)
IMAPS_PORT=$(setting MAILTEST_IMAPS_PORT 1993)
SMTP_PORT=$(setting MAILTEST_SMTP_PORT 2525)
SMTPS_PORT=$(setting MAILTEST_SMTPS_PORT 2465)
LMTP_PORT=$(setting MAILTEST_LMTP_PORT 2424)
PASSWORD=$(setting MAILTEST_PASSWORD secret)
for p in "$IMAP_PORT" "$IMAPS_PORT" "$SMTP_PORT" "$SMTPS_PORT" "$LMTP_PORT"; do
  if ! [[ $p =~ ^[0-9]+$ ]] || [ "$p" -lt 1 ] || [ "$p" -gt 65535 ]; then die "bad port '$p'"; fi
done
[ "$(printf '%s\n' "$IMAP_PORT" "$IMAPS_PORT" "$SMTP_PORT" "$SMTPS_PORT" "$LMTP_PORT" | sort -u | wc -l)" = 5 ] ||
  die "the five ports must differ"
# The passwd-file is colon-separated and mailtest.env is not quoted.
[[ $PASSWORD =~ ^[!-~]+$ && $PASSWORD != *:* ]] ||
  die "MAILTEST_PASSWORD must be printable ASCII without spaces or ':'"

USERS=()
if [ -n "${SAVED[MAILTEST_USERS]:-}" ]; then
  IFS=, read -r -a USERS <<<"${SAVED[MAILTEST_USERS]}"
else
  USERS=(vanphong@huyenuy.test bantochuc@huyenuy.test)
  for i in $(seq -w 1 40); do USERS+=("unit$i@donvi.test"); done
fi
if [ "$locked" = 0 ]; then
  read -r -a extra <<<"${MAILTEST_EXTRA_USERS:-}"
  for u in "${extra[@]}"; do
    u=${u,,}
    [[ " ${USERS[*]} " == *" $u "* ]] || USERS+=("$u")
  done
fi
for u in "${USERS[@]}"; do
  [[ $u =~ ^[a-z0-9._+-]+@[a-z0-9.-]+\.[a-z]+$ ]] || die "bad user address '$u'"
done
DOMAINS=$(printf '%s\n' "${USERS[@]}" | sed 's/.*@//' | sort -u | tr '\n' ' ')
DOMAINS=${DOMAINS% }
USERS_CSV=$(IFS=,; echo "${USERS[*]}")

# Both masters drop privileges; their users must be able to enter STATE (mktemp gives 0700,
# and a parent such as /root may be closed).
chmod 755 "$STATE"
runuser -u mail -- test -x "$STATE" ||
  die "unprivileged users cannot enter $STATE (a closed parent directory?); use a state dir under /tmp"
mkdir -p "$STATE/log"

# ---------------------------------------------------------------- step 2: packages
install_packages() {
  local need=() p installed sim apt_log=$STATE/log/apt.log
  # shellcheck disable=SC2016 # a dpkg-query format, not a shell expansion
  installed=" $(dpkg-query -W -f='${db:Status-Abbrev}${Package} ' "${PACKAGES[@]}" 2>/dev/null | tr -d '\n' || true)"
  for p in "${PACKAGES[@]}"; do
    [[ $installed == *" ii $p "* ]] || need+=("$p")
  done
  [ ${#need[@]} -gt 0 ] || return 0
  log "installing ${need[*]} (apt log: $apt_log)"
  export DEBIAN_FRONTEND=noninteractive
  # Without systemd each postinst calls invoke-rc.d, which would start the system Dovecot
  # (0.0.0.0:143/993) and Postfix (:25). A policy-rc.d that exits 101 forbids that.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# baocao tests/mailserver/start.sh: no daemons during install\nexit 101\n' \
      >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    POLICY_CREATED=1
  fi
  # "No configuration": the package writes no /etc/postfix/main.cf, the system Postfix stays inert.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  local opts=(-y -q --no-install-recommends --no-remove -o DPkg::Lock::Timeout=120)
  # postfix conflicts with mail-transport-agent: never let apt quietly remove another MTA.
  if ! sim=$(apt-get -s install "${opts[@]}" "${need[@]}" 2>&1); then
    log "apt-get update (the package lists look empty or stale)"
    apt-get update -q >>"$apt_log" 2>&1 || apt-get update -q >>"$apt_log" 2>&1 || die "apt-get update failed, see $apt_log"
    sim=$(apt-get -s install "${opts[@]}" "${need[@]}" 2>&1) || {
      printf '%s\n' "$sim" >>"$apt_log"
      die "apt-get cannot install ${need[*]}, see $apt_log"
    }
  fi
  if grep -q '^Remv ' <<<"$sim"; then
    die "installing ${need[*]} would remove: $(grep '^Remv ' <<<"$sim" | awk '{print $2}' | tr '\n' ' ')- refusing"
  fi
  if ! apt-get install "${opts[@]}" "${need[@]}" >>"$apt_log" 2>&1; then
    log "install failed; apt-get update and one more try"
    apt-get update -q >>"$apt_log" 2>&1 || true
    apt-get install "${opts[@]}" "${need[@]}" >>"$apt_log" 2>&1 || {
      tail -n 20 "$apt_log" >&2
      die "apt-get install ${need[*]} failed, see $apt_log"
    }
  fi
  if [ "$POLICY_CREATED" = 1 ]; then
    rm -f /usr/sbin/policy-rc.d
    POLICY_CREATED=0
  fi
  log "installed ${need[*]}"
}
install_packages
for u in dovecot dovenull postfix; do id "$u" >/dev/null 2>&1 || die "system user $u is missing"; done
MAIL_UID=$(id -u mail)
MAIL_GID=$(id -g mail)

# ---------------------------------------------------------------- step 3: layout and permissions
mkdir -p "$STATE"/{tls,bin,dovecot/run,dovecot/state,postfix/etc,postfix/spool,postfix/data,mail}
chmod 700 "$STATE/tls"
chown "$MAIL_UID:$MAIL_GID" "$STATE/mail"
chmod 750 "$STATE/mail"
# Created by root, Postfix's master could not take its lock; postfix-script does not fix it.
chown postfix:postfix "$STATE/postfix/data"

# ---------------------------------------------------------------- step 4: TLS (CA + leaf)
# A self-signed certificate is CA:TRUE, which rustls/webpki reject as a server certificate.
make_certs() {
  local tls=$STATE/tls ext
  ext=$(mktemp)
  cat >"$ext" <<'EOF'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1, DNS:mail.huyenuy.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tls/ca.key" &&
      openssl req -x509 -new -key "$tls/ca.key" -sha256 -days 3650 -subj "/CN=baocao test mail CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -out "$tls/ca.pem" &&
      openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tls/key.pem" &&
      openssl req -new -key "$tls/key.pem" -subj "/CN=localhost" -out "$tls/cert.csr" &&
      openssl x509 -req -in "$tls/cert.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" \
        -set_serial "0x$(openssl rand -hex 8)" -days 825 -sha256 -extfile "$ext" -out "$tls/cert.pem"
  } >>"$STATE/log/openssl.log" 2>&1 || die "openssl failed, see $STATE/log/openssl.log"
  rm -f "$ext" "$tls/cert.csr"
  chmod 600 "$tls/ca.key" "$tls/key.pem"
  chmod 644 "$tls/ca.pem" "$tls/cert.pem"
}
if [ ! -s "$STATE/tls/ca.pem" ] || [ ! -s "$STATE/tls/cert.pem" ] || [ ! -s "$STATE/tls/key.pem" ]; then
  make_certs
fi

# ---------------------------------------------------------------- step 5: users
# Dovecot: passwd-file read by the auth process (user dovecot); Postfix: a texthash table.
write_file() { # PATH MODE OWNER < content; replaced atomically
  local tmp
  tmp=$(mktemp "$1.XXXXXX")
  cat >"$tmp"
  chmod "$2" "$tmp"
  chown "$3" "$tmp"
  mv -f "$tmp" "$1"
}
# Postfix ignores a config or table file changed within the last second (an editor may still
# be writing it) and polls until it is older: backdate what we write.
backdate() { touch -d "@$(($(date +%s) - 60))" "$@"; }

if [ "$want_dovecot" = 1 ]; then
  for u in "${USERS[@]}"; do printf '%s:{PLAIN}%s::::::\n' "$u" "$PASSWORD"; done |
    write_file "$STATE/dovecot/users" 0640 root:dovecot
fi
if [ "$want_postfix" = 1 ]; then
  for u in "${USERS[@]}"; do printf '%s OK\n' "$u"; done | write_file "$STATE/postfix/etc/vmailbox" 0644 root:root
fi

# ---------------------------------------------------------------- step 6: Dovecot config
DH=/usr/share/dovecot/dh.pem
if [ "$want_dovecot" = 1 ]; then
  [ -r "$DH" ] || die "$DH is missing (dovecot-core incomplete?)"
  write_file "$STATE/dovecot/dovecot.conf" 0644 root:root <<EOF
# baocao test mail server: Dovecot. Written by tests/mailserver/start.sh on every start; do
# not edit. Stand-alone: nothing from /etc/dovecot is included.
instance_name = baocao-mail
base_dir = $STATE/dovecot/run
state_dir = $STATE/dovecot/state
log_path = $STATE/log/dovecot.log
protocols = imap lmtp
listen = $HOST
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
default_process_limit = 500
default_client_limit = 5000

# Mail belongs to the system user "mail" (uid $MAIL_UID); Dovecot refuses uids below 500 by default.
first_valid_uid = $MAIL_UID
first_valid_gid = $MAIL_GID
mail_location = maildir:~/Maildir

ssl = yes
ssl_cert = <$STATE/tls/cert.pem
ssl_key = <$STATE/tls/key.pem
ssl_dh = <$DH
ssl_min_protocol = TLSv1.2

disable_plaintext_auth = no
auth_mechanisms = plain login
auth_username_format = %Lu
# No extra delay for failed logins: with the anvil setting below a failure costs about 0.5 s
# (stock: 2 s, then several seconds more for each later failure from the same IP).
auth_failure_delay = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $STATE/dovecot/users
}
userdb {
  driver = passwd-file
  args = username_format=%Lu $STATE/dovecot/users
  default_fields = uid=$MAIL_UID gid=$MAIL_GID home=$STATE/mail/%d/%n
}

namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
  mailbox Archive {
    special_use = \Archive
    auto = subscribe
  }
  mailbox "Đã xử lý" {
    auto = subscribe
  }
}

protocol imap {
  # Stock Dovecot allows 10 IMAP connections per user and IP.
  mail_max_userip_connections = 1000
}
protocol lmtp {
  postmaster_address = postmaster@huyenuy.test
}

service imap-login {
  inet_listener imap {
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = $IMAPS_PORT
    ssl = yes
  }
  # A few long-lived login processes instead of one per connection.
  service_count = 0
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    port = $LMTP_PORT
  }
}
service auth {
  # Postfix's SASL (AUTH on the SMTP ports).
  unix_listener auth-postfix {
    mode = 0666
  }
}
service anvil {
  # Dovecot's documented way to switch off the auth penalty.
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
EOF
fi

# ---------------------------------------------------------------- step 7: Postfix config
if [ "$want_postfix" = 1 ]; then
  write_file "$STATE/postfix/etc/main.cf" 0644 root:root <<EOF
# baocao test mail server: Postfix. Written by tests/mailserver/start.sh on every start; do
# not edit. Only the test domains are reachable; nothing leaves the machine.
compatibility_level = 3.6
queue_directory = $STATE/postfix/spool
data_directory = $STATE/postfix/data
meta_directory = /etc/postfix
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
syslog_name = baocao-postfix

# Logging to a file through postlogd; the prefixes must allow the log directory.
maillog_file = $STATE/log/postfix.log
maillog_file_prefixes = $STATE/log

myhostname = mail.huyenuy.test
mydomain = huyenuy.test
myorigin = \$myhostname
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
alias_maps =
alias_database =
local_transport = error:local delivery is disabled in the test mail server
default_transport = error:mail outside the test domains is refused
relay_transport = error:mail outside the test domains is refused
smtpd_relay_restrictions = reject_unauth_destination
virtual_mailbox_domains = $DOMAINS
virtual_mailbox_maps = texthash:$STATE/postfix/etc/vmailbox
virtual_transport = lmtp:inet:$HOST:$LMTP_PORT
smtp_dns_support_level = disabled
# Dovecot's LMTP does not offer SMTPUTF8: with it on, Postfix would accept SMTPUTF8 mail
# and then bounce it at delivery. Raw UTF-8 headers without SMTPUTF8 are delivered as sent.
smtputf8_enable = no
message_size_limit = 52428800

# AUTH is optional, checked by Dovecot; no chroot anywhere, so an absolute path works.
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $STATE/dovecot/run/auth-postfix
smtpd_tls_security_level = may
smtpd_tls_auth_only = no
smtpd_tls_cert_file = $STATE/tls/cert.pem
smtpd_tls_key_file = $STATE/tls/key.pem

# Test-friendly timing.
in_flow_delay = 0
queue_run_delay = 10s
minimal_backoff_time = 10s
maximal_backoff_time = 60s
biff = no
append_dot_mydomain = no
EOF
  # Written from scratch: Debian's master.cf chroots the services and listens on *:25.
  write_file "$STATE/postfix/etc/master.cf" 0644 root:root <<EOF
# service type  private unpriv chroot wakeup maxproc command + args
$HOST:$SMTP_PORT inet n - n - - smtpd
$HOST:$SMTPS_PORT inet n - n - - smtpd
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
pickup     unix  n - n 60    1 pickup
cleanup    unix  n - n -     0 cleanup
qmgr       unix  n - n 300   1 qmgr
tlsmgr     unix  - - n 1000? 1 tlsmgr
rewrite    unix  - - n -     - trivial-rewrite
bounce     unix  - - n -     0 bounce
defer      unix  - - n -     0 bounce
trace      unix  - - n -     0 bounce
verify     unix  - - n -     1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -     - proxymap
proxywrite unix  - - n -     1 proxymap
smtp       unix  - - n -     - smtp
relay      unix  - - n -     - smtp
showq      unix  n - n -     - showq
error      unix  - - n -     - error
retry      unix  - - n -     - error
discard    unix  - - n -     - discard
local      unix  - n n -     - local
virtual    unix  - n n -     - virtual
lmtp       unix  - - n -     - lmtp
anvil      unix  - - n -     1 anvil
scache     unix  - - n -     1 scache
postlog    unix-dgram n - n - 1 postlogd
EOF
  backdate "$STATE/postfix/etc/main.cf" "$STATE/postfix/etc/master.cf" "$STATE/postfix/etc/vmailbox"
fi

# ---------------------------------------------------------------- step 8: start
show_logs() {
  local f
  for f in "$@"; do
    [ -s "$f" ] || continue
    log "--- last lines of $f"
    tail -n 15 "$f" >&2
  done
}
CLEAN_ENV=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin)
if [ "$want_dovecot" = 1 ]; then
  # The master keeps the stdio it was started with for its whole life: never hand it the
  # caller's pipes. It binds every listener before it forks, so exit 0 means ready.
  if ! "${CLEAN_ENV[@]}" "$DOVECOT_BIN" -c "$STATE/dovecot/dovecot.conf" \
    </dev/null >>"$STATE/log/dovecot-start.log" 2>&1; then
    show_logs "$STATE/log/dovecot-start.log" "$STATE/log/dovecot.log"
    die "dovecot did not start"
  fi
  STARTED+=(dovecot)
  for _ in $(seq 1 100); do
    DOVECOT_PID=$(master_pid dovecot) && break
    sleep 0.05
  done
  [ -n "$DOVECOT_PID" ] || die "dovecot started but $(pid_file dovecot) names no dovecot of this state"
  log "dovecot started (pid $DOVECOT_PID)"
fi

if [ "$want_postfix" = 1 ]; then
  # On an initialised queue, skip postfix-script's checks (~0.5 s).
  [ ! -d "$STATE/postfix/spool/maildrop" ] || touch "$STATE/postfix/spool/quick-start"
  if ! "${CLEAN_ENV[@]}" /usr/sbin/postfix -c "$STATE/postfix/etc" start \
    </dev/null >>"$STATE/log/postfix-start.log" 2>&1; then
    show_logs "$STATE/log/postfix-start.log" "$STATE/log/postfix.log"
    die "postfix did not start"
  fi
  STARTED+=(postfix)
  for _ in $(seq 1 100); do
    POSTFIX_PID=$(master_pid postfix) && break
    sleep 0.05
  done
  [ -n "$POSTFIX_PID" ] || die "postfix started but $(pid_file postfix) names no postfix master of this state"
  log "postfix started (pid $POSTFIX_PID)"
fi

# ---------------------------------------------------------------- step 9: readiness
# One greeting from each listener this run started (the masters already hold the sockets).
probe() { # PORT EXPECTED-GREETING-PREFIX QUIT-COMMAND
  local line=""
  exec 3<>"/dev/tcp/$HOST/$1" || return 1
  IFS= read -r -t 5 line <&3 || true
  printf '%s\r\n' "$3" >&3 || true
  exec 3<&- 3>&-
  [[ $line == "$2"* ]] || {
    log "port $1 answered '${line%$'\r'}'"
    return 1
  }
}
if [ "$want_dovecot" = 1 ]; then
  probe "$IMAP_PORT" "* OK" "a LOGOUT" || die "no IMAP greeting on $HOST:$IMAP_PORT"
  probe "$LMTP_PORT" "220" "QUIT" || die "no LMTP greeting on $HOST:$LMTP_PORT"
fi
if [ "$want_postfix" = 1 ]; then
  probe "$SMTP_PORT" "220" "QUIT" || die "no SMTP greeting on $HOST:$SMTP_PORT"
fi

# ---------------------------------------------------------------- step 10: details
printf '#!/bin/sh\nexec doveadm -c %s/dovecot/dovecot.conf "$@"\n' "$STATE" >"$STATE/bin/doveadm"
printf '#!/bin/sh\nexec postqueue -c %s/postfix/etc "$@"\n' "$STATE" >"$STATE/bin/postqueue"
chmod 755 "$STATE/bin/doveadm" "$STATE/bin/postqueue"
write_file "$ENV_FILE" 0644 root:root <<EOF
MAILTEST_STATE_DIR=$STATE
MAILTEST_HOST=$HOST
MAILTEST_IMAP_PORT=$IMAP_PORT
MAILTEST_IMAPS_PORT=$IMAPS_PORT
MAILTEST_SMTP_PORT=$SMTP_PORT
MAILTEST_SMTPS_PORT=$SMTPS_PORT
MAILTEST_LMTP_PORT=$LMTP_PORT
MAILTEST_PASSWORD=$PASSWORD
MAILTEST_CA_CERT=$STATE/tls/ca.pem
MAILTEST_USERS=$USERS_CSV
EOF
log "ready: IMAP $HOST:$IMAP_PORT (IMAPS $IMAPS_PORT), SMTP $SMTP_PORT (SMTPS $SMTPS_PORT), LMTP $LMTP_PORT; stop with: $HERE/stop.sh $STATE --purge"
print_details
