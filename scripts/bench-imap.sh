#!/usr/bin/env bash
# IMAP backfill benchmark: loads N generated unit mails (default 10,000, ~470 MB) into a
# private loopback Dovecot, then times a cold `baocao poll --once` (fetch + archive + parse +
# register, nothing-lost guarantee on) next to `mbsync` (isync) fetching the same mailbox with
# its default FSync yes, and with FSync no. Prints the times, the peak RSS of baocao and its
# reader workers together (summed, sampled every 20 ms by the rss_tree example) and of baocao's
# own process, and the ratios. Check `uptime` first: the figures mean little on a busy machine.
# BAOCAO_BIN=path times another build of baocao (an older commit's, for a before/after).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
corpus="target/bench-corpus/$n"
if [ ! -f "$corpus/.complete" ]; then
  echo "generating the corpus with the ingest benchmark…" >&2
  cargo bench --bench ingest -- "$n" >/dev/null
fi
cargo build --release --quiet --bin baocao --example rss_tree
bin=${BAOCAO_BIN:-target/release/baocao}
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
# File names as Dovecot's own delivery writes them (time, microseconds, pid, host, then the
# size and the CRLF size, which Dovecot reads instead of counting). Names that differ only in
# their middle ("<n>.M<n>P1.bench") made its file-name hash collide: ~0.7 s of Dovecot CPU
# before the first message, paid by both clients alike. NAMES=plain brings them back.
python3 - "$corpus" "$md/cur" "${NAMES:-dovecot}" <<'PY'
import os, random, shutil, sys
src, dst, style = sys.argv[1:4]
rng = random.Random(1)
for i, f in enumerate(sorted(x for x in os.listdir(src) if x.endswith(".eml"))):
    path = os.path.join(src, f)
    if style == "plain":
        name = "%d.M%dP1.bench:2," % (1700000001 + i, i + 1)
    else:
        data = open(path, "rb").read()
        vsize = len(data) + data.count(b"\n") - data.count(b"\r\n")
        name = "%d.M%dP%d.mx.donvi.test,S=%d,W=%d:2," % (
            1764900000 + 7 * i, rng.randrange(1000000), rng.randrange(1000, 60000),
            len(data), vsize)
    shutil.copy(path, os.path.join(dst, name))
PY
chown -R 8:8 "$state/mail"
doveadm -c "$state/dovecot/dovecot.conf" index -u "$user" INBOX
sync
echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true

# Rounds alternate the tools so the disk's good and bad moments fall on both; medians are
# reported. mbsync with FSync yes (its default) and no, then baocao, cold caches each time.
rounds=${ROUNDS:-3}
mkdir -p "$work/cfg/campaigns"
cp config/campaigns/*.toml "$work/cfg/campaigns/"
cp config/units.csv "$work/cfg/"
{
  sed 's|data-dir = "../data"|data-dir = "data"|' config/baocao.toml
  printf '\n[mailbox]\nhost = "127.0.0.1"\nport = 41143\nsecurity = "plain"\nusername = "%s"\npassword-env = "BENCH_PW"\n' "$user"
  [ -n "${BATCH:-}" ] && printf 'batch-size = %s\n' "$BATCH"
} > "$work/cfg/baocao.toml"
cold() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$work/t_yes"; : > "$work/t_no"; : > "$work/t_baocao"; : > "$work/rss_all"; : > "$work/own_all"
for r in $(seq "$rounds"); do
  for fs in yes no; do
    # Each run's files are kept until the end: ext4 is slow to hand out inodes freed minutes
    # before, which a mailbox copy or an office's data folder (both only grow) never pays.
    [ -d "$work/mbsync" ] && mv "$work/mbsync" "$work/done-mbsync-$r-$fs-$RANDOM"
    mkdir -p "$work/mbsync/local"
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
    cold
    start=$(date +%s.%N)
    mbsync -q -c "$work/mbsync/rc" bench
    end=$(date +%s.%N)
    echo "$end - $start" | bc >> "$work/t_$fs"
    echo "round $r: mbsync FSync $fs: $(tail -1 "$work/t_$fs") s" >&2
  done
  [ -d "$work/cfg/data" ] && mv "$work/cfg/data" "$work/done-baocao-$r-$RANDOM"
  cold
  load=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  BENCH_PW="$pass" target/release/examples/rss_tree "$work/rss" -- "$bin" --config "$work/cfg/baocao.toml" --json poll --once > "$work/report.json"
  end=$(date +%s.%N)
  echo "$end - $start" | bc >> "$work/t_baocao"
  read -r tree own procs < "$work/rss"
  echo "$tree" >> "$work/rss_all"; echo "$own" >> "$work/own_all"
  stored=$(sqlite3 "$work/cfg/data/baocao.sqlite" 'SELECT count(*) FROM messages' 2>/dev/null || echo '?')
  echo "round $r: baocao poll --once: $(tail -1 "$work/t_baocao") s, peak RSS baocao+workers $(( tree / 1024 )) MB (baocao alone $(( own / 1024 )) MB, $procs processes), load $load, $stored messages in the register, report $(tr -d ' \n' < "$work/report.json")" >&2
done
yes_m=$(median < "$work/t_yes"); no_m=$(median < "$work/t_no"); b_m=$(median < "$work/t_baocao")
rss_max=$(sort -n "$work/rss_all" | tail -1); own_max=$(sort -n "$work/own_all" | tail -1)
echo "medians over $rounds rounds: mbsync FSync yes $yes_m s, FSync no $no_m s, baocao $b_m s (peak RSS baocao+workers $(( rss_max / 1024 )) MB, baocao alone $(( own_max / 1024 )) MB; load now $(cut -d' ' -f1-3 /proc/loadavg))"
echo "all runs: mbsync yes [$(tr '\n' ' ' < "$work/t_yes")] no [$(tr '\n' ' ' < "$work/t_no")] baocao [$(tr '\n' ' ' < "$work/t_baocao")]"
echo "ratio baocao / mbsync (FSync yes): $(echo "scale=2; $b_m / $yes_m" | bc)"
echo "ratio baocao / mbsync (FSync no):  $(echo "scale=2; $b_m / $no_m" | bc)"
