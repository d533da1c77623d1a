#!/usr/bin/env bash
# IMAP backfill benchmark: loads N generated unit mails (default 10,000, ~470 MB) into a
# private loopback Dovecot, then times a cold `baocao poll --once` (fetch + archive + parse +
# register, nothing-lost guarantee on) next to `mbsync` (isync) fetching the same mailbox with
# its default FSync yes, and with FSync no. Prints the times, baocao's peak RSS and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
corpus="target/bench-corpus/$n"
if [ ! -f "$corpus/.complete" ]; then
  echo "generating the corpus with the ingest benchmark…" >&2
  cargo bench --bench ingest -- "$n" >/dev/null
fi
cargo build --release --quiet
command -v mbsync >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends isync >/dev/null

state=$(mktemp -d /tmp/baocao-bench-mail.XXXXXX)
work=$(mktemp -d /tmp/baocao-bench-work.XXXXXX)
trap 'tests/mailserver/stop.sh "$state" --purge >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
MAILTEST_IMAP_PORT=41143 MAILTEST_IMAPS_PORT=41993 MAILTEST_SMTP_PORT=42525 \
  MAILTEST_SMTPS_PORT=42465 MAILTEST_LMTP_PORT=42424 tests/mailserver/start.sh "$state" >/dev/null 2>&1
user=unit40@donvi.test
pass=$(grep '^MAILTEST_PASSWORD=' "$state/mailtest.env" | cut -d= -f2)
md="$state/mail/donvi.test/unit40/Maildir"
mkdir -p "$md/cur" "$md/new" "$md/tmp"
i=0
for f in "$corpus"/*.eml; do
  i=$((i + 1))
  cp "$f" "$md/cur/$((1700000000 + i)).M${i}P1.bench:2,"
done
chown -R 8:8 "$state/mail"
doveadm -c "$state/dovecot/dovecot.conf" index -u "$user" INBOX
sync
echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true

# mbsync, FSync yes (its default) and no.
for fs in yes no; do
  rm -rf "$work/mbsync" && mkdir -p "$work/mbsync/local"
  cat > "$work/mbsync/rc" <<RC
FSync $fs

IMAPAccount bench
Host 127.0.0.1
Port 41143
User $user
Pass $pass
SSLType None
AuthMechs LOGIN

IMAPStore remote
Account bench

MaildirStore local
Path $work/mbsync/local/
Inbox $work/mbsync/local/INBOX

Channel bench
Far :remote:
Near :local:
Patterns INBOX
Sync Pull
Create Near
SyncState *
RC
  start=$(date +%s.%N)
  mbsync -q -c "$work/mbsync/rc" bench
  end=$(date +%s.%N)
  echo "mbsync FSync $fs: $(echo "$end - $start" | bc) s"
  eval "mbsync_$fs=$(echo "$end - $start" | bc)"
done

# baocao poll --once, cold, fresh data folder.
mkdir -p "$work/cfg/campaigns"
cp config/campaigns/*.toml "$work/cfg/campaigns/"
cp config/units.csv "$work/cfg/"
{
  sed 's|data-dir = "../data"|data-dir = "data"|' config/baocao.toml
  printf '\n[mailbox]\nhost = "127.0.0.1"\nport = 41143\nsecurity = "plain"\nusername = "%s"\npassword-env = "BENCH_PW"\nbatch-size = 400\n' "$user"
} > "$work/cfg/baocao.toml"
start=$(date +%s.%N)
BENCH_PW="$pass" /usr/bin/time -f "%M" -o "$work/rss" target/release/baocao --config "$work/cfg/baocao.toml" --json poll --once > "$work/report.json"
end=$(date +%s.%N)
t=$(echo "$end - $start" | bc)
echo "baocao poll --once: $t s, peak RSS $(( $(cat "$work/rss") / 1024 )) MB, report $(cat "$work/report.json" | tr -d ' \n')"
echo "ratio baocao / mbsync (FSync yes): $(echo "scale=2; $t / $mbsync_yes" | bc)"
echo "ratio baocao / mbsync (FSync no):  $(echo "scale=2; $t / $mbsync_no" | bc)"
