# baocao's command-line words in English (chosen with --lang en or an English LANG).
# Every id here must also be in locales/vi/ (tests/it/words.rs checks both ways).

test-mails = { $count ->
    [one] { $count } mail
   *[other] { $count } mails
}

## Dates and schedules
cron-raw = on the cron schedule { $cron }
cron-hour = { $hour }:00
cron-hour-minute = { $hour }:{ $minute }
cron-every-day = every day
cron-day-of-month = on day { $days } of each month
cron-day-range = { $from } to { $to }
cron-words = { $times }, { $days }
weekday-mon = Monday
weekday-tue = Tuesday
weekday-wed = Wednesday
weekday-thu = Thursday
weekday-fri = Friday
weekday-sat = Saturday
weekday-sun = Sunday

## Bad command line (clap)
clap-unknown-argument = there is no option { $arg }
clap-unknown-command = there is no command { $command }
clap-invalid-choice = { $arg } does not take { $value }; it takes: { $valid }
clap-invalid-value = the value { $value } of { $arg } cannot be used: { $reason }
clap-missing = { $arg } is missing
clap-conflict = { $arg } cannot be used with { $other }
clap-values = wrong number of values for { $arg }
clap-other = the command line is not right
clap-suggest = {" "}(did you mean { $suggestion }?)
clap-see-help = . See: baocao --help (or baocao COMMAND --help).

## Errors
err-technical = technical error: { $detail }
err-bad-time = not a time baocao can read; write e.g. 2023-01-28T08:00:00+07:00
err-no-data = there is no register in { $dir }: no mail was read into it yet, or --data (data-dir) is mistyped. baocao ingest, baocao poll --once and baocao run create the data folder on the first mail (or add --init)
data-created = Creating a new data folder: { $dir }
err-open-data = cannot open the data folder { $dir }
err-read-file = cannot read { $path }
err-no-campaign = no campaign "{ $id }"; the config has: { $known }
err-no-campaigns = no campaigns are configured; add a campaign file to the campaigns folder next to { $config } (annotated sample: config/campaigns/README.md)
err-outbox-kind = no mail kind "{ $word }"; the kinds are: { $known }
err-runtime = cannot start the async runtime
err-config-read = cannot read the config file { $file } ({ $cause }) — fix: check the path (use --config FILE)
err-config-invalid = bad config in { $file }: { $problem } — fix: { $fix }
err-config-invalid-line = bad config in { $file } line { $line }: { $problem } — fix: { $fix }
err-store-db = the register { $path } reports a database error ({ $detail })
err-store-io = cannot read or write { $path } ({ $cause })
err-store-too-new = the register { $path } was upgraded by a newer baocao (schema { $found }, this one knows { $known }); install the newer baocao
err-store-not-found = not found: { $what }
io-not-found = no such file or folder
io-permission = permission denied
io-exists = it exists already
io-full = the disk is full
io-read-only = the disk is read-only
io-is-dir = it is a folder, not a file
io-not-dir = it is not a folder
io-invalid-data = the data is damaged

## Reminders, schedule, outbox
remind-dry-run = Dry run (nothing sent): { $count } units still miss documents for Công văn { $number } at { $at }
remind-queued = { $count } reminders queued.
delivery-summary = Sent { $sent }, to retry { $retry }, failed { $failed }, cancelled { $cancelled }.
delivery-problem = ERROR — { $problem }
remind-no-smtp = No [smtp] configured: the mail stays queued; baocao run sends it once there is an outgoing server.
remind-bad-addresses = {" "}(skipped, bounced: { $addresses })
remind-no-address = — no address
col-unit = Unit
col-units = Units
col-missing = Missing
col-to = To
col-at = At
col-kind = Kind
col-created = Created
col-status = Status
col-sent = Sent at
col-error = Error
schedule-campaign = Công văn { $number } — deadline { $deadline }
weekday-short-mon = Mon
weekday-short-tue = Tue
weekday-short-wed = Wed
weekday-short-thu = Thu
weekday-short-fri = Fri
weekday-short-sat = Sat
weekday-short-sun = Sun
slot-overdue = overdue notice { $n }
slot-before = { $days } days before the deadline
slot-moved = {" "}(moved from { $from }, a day off)
units-none = no unit
units-some = { $count } units ({ $list })
units-some-cut = { $count } units ({ $list }, …)
slot-sent = sent: { $units }
slot-would = will remind (if still missing): { $units }
schedule-extension = Extension for { $unit } until { $deadline }: reminders at { $slots }
schedule-digest = Staff digest ({ $schedule }): { $next }
schedule-digest-off = Staff digest: off ([digest] cron = "")
err-outbox-read = cannot read the outbox
kind-receipt = receipt
kind-reminder = reminder
kind-digest = staff digest
kind-draft = consolidated draft
kind-test = test mail
kind-other = other mail
status-queued = waiting
status-sending = sending
status-sent = sent
status-written = written to a file (not sent)
status-failed = failed
status-uncertain = uncertain whether sent
status-cancelled = cancelled

## Message list (messages)
by-sender-address = by the sender's address
by-sender-alias = by an address learnt when staff assigned a mail
by-forwarded-sender = by the sender of the forwarded original
by-subject = by the subject
by-sender-name = by the sender's name
by-filename = by a file name
by-body = by the text of the mail
by-only-open-campaign = the only open campaign
by-staff = assigned by staff
by-document-issuer = by the issuing body named in the document
by-document-signature = by the signature block of the document
by-document = by the request number in the document
messages-none = No mail yet.
messages-none-attention = No mail needs attention.
messages-more = There is more — next page: baocao messages --after { $after }
messages-unit-how = { $unit } ({ $how })
messages-unit-unknown = UNIT NOT KNOWN
messages-sender-unknown = (sender not known)
messages-subject = Subject: { $subject }
messages-campaign = Công văn: { $number } ({ $how })
messages-campaign-unknown = Công văn: not known
messages-error = ERROR: { $error }
messages-reading = Reading the attachments…
messages-reading-slow = Waiting for OCR or the conversion of an old file…
messages-quarantined = SET ASIDE: a file stopped the reader — staff open it by hand
messages-file = File: { $path } [{ $kind }]
forward-inline = pasted in the text
forward-attached = the original attached
forward-time-original = the original's receipt time counts
forward-time-forward = the forward's time counts
messages-forwarded = Forwarded: staff forwarded a unit's mail ({ $how }); { $time }
messages-note = Note: { $note }
messages-duplicate = Note: same Message-ID as a stored mail; not counted as a new submission
messages-export = Open the files: baocao export { $id }
err-config-see-sample = { $error } (annotated sample of every key: { $sample })

## Bounced addresses, drafts, digest, export
addresses-none = No address has bounced.
col-address = Address
col-bounced-at = Bounced at
col-reason = Reason
addresses-hint = baocao sends no mail to these addresses. Correct them in the units registry (baocao units import FILE.csv), then: baocao addresses ok ADDRESS
err-address-not-bad = { $address } is not in the list of bounced addresses; baocao addresses bad lists them
addresses-cleared = { $address } is no longer marked bad: mail will go to it again.
err-drafts-write = cannot write the drafts into { $dir }
err-drafts-write-data = cannot write the drafts into the data folder
drafts-title = Consolidated drafts for Công văn { $number } — figures as of { $at }:
drafts-counts = { $reported }/{ $total } units sent a report; { $missing } units sent nothing.
drafts-xlsx = Workbook (Excel): { $path }
drafts-docx = Draft report (Word): { $path }
err-digest-no-smtp = { $config } has no [smtp] section, so the digest cannot be sent; add the outgoing mail settings, or use baocao digest --dry-run to see it here
err-digest-no-recipients = nobody to send the digest to; set recipients under [digest] or [staff] in { $config }
digest-sent = Digest to { $to }: sent { $sent }, to retry { $retry }, failed { $failed }.
err-digest-not-sent = the digest may not have been sent: { $problem }; it stays queued (baocao outbox)
err-export-parse = message { $id } cannot be read as mail
err-create-dir = cannot create the folder { $dir }
err-write-file = cannot write { $path }
export-none = Message { $id } has no attachments.

## Register (status)
status-mailbox-problem = WARNING: reading the mailbox has failed since { $at }: { $detail }
    baocao keeps retrying; unread mail stays on the server and is read once the problem is over.
status-title = Công văn { $number } — { $title }
status-as-of = Deadline: { $deadline } · As of: { $at }
cell-to-check = ? to check
cell-unreadable = ✗ damaged file
cell-paper = paper { $day }
cell-late = ✓ { $day } late
cell-on-time = ✓ { $day }
mark-late = ✓ late
mark-paper = ✓ paper
mark-damaged = ✗ damaged
state-complete-on-time = Complete, on time
state-complete-late = Complete, late
state-partial = Incomplete
state-missing = Nothing sent
status-totals = { $total } units: { $on_time } complete on time, { $late } complete but late, { $partial } incomplete, { $missing } sent nothing.
status-to-review = To review:
status-unidentified = Mail from no known unit ({ $count }):
status-unidentified-mail = { $at } from { $from } «{ $subject }» — Message-ID { $id }
status-assign-hint = Assign a unit: baocao assign MESSAGE-ID UNIT-ID

## Reading mail in (ingest)
ingest-skipped-path = skipped { $error }
err-ingest-nothing = no mail to read in the paths given (baocao reads .eml files, mbox mailboxes and Maildir folders)
ingest-unreadable = cannot read { $error }
err-ingest-skipped = { $count } paths could not be read in (named above); the other mail was read in
ingest-summary = Read { $seen } mails: { $stored } new, { $duplicates } known already, { $unreadable } unreadable.
ingest-quarantined = { $count } mails have a file that stopped the document reader (too large, too slow or damaged): they are stored and set aside for staff.
ingest-see-attention = See the mail with problems: baocao messages --attention

## Units registry (units)
units-imported = Imported { $count } units from { $file }.
units-learnt = { $alias } (learnt)
col-id = Id
col-unit-name = Unit name
col-emails = Mail addresses
col-aliases = Other names
col-alias = Name / address
col-from-mail = From mail
units-learnt-hint = (learnt): remembered when staff assigned a mail with baocao assign; forget with baocao units alias remove NAME-OR-ADDRESS [--unit ID].
aliases-none = No name or address learnt from staff corrections yet.
alias-address = address
alias-name = name
alias-removed-address = mail from { $value }
alias-removed-name = the name "{ $value }"
alias-removed = Forgotten: { $what } is no longer taken as unit { $unit }'s.
err-alias-unknown = no learnt name or address "{ $value }"; baocao units alias list lists what was learnt
err-alias-unknown-for = no learnt name or address "{ $value }" for unit { $unit }; baocao units alias list lists what was learnt

## Staff corrections (assign, mark)
err-no-message = no message "{ $message }" (give a Message-ID, the number in brackets of baocao messages, or a hash prefix)
err-assign-no-unit = the message has no unit yet; name one instead of "-"
err-no-unit = no unit "{ $unit }"; baocao units list shows the ids
err-no-item = campaign { $campaign } has no item "{ $item }" (it has: { $known })
err-no-file = the message has no file "{ $file }"; baocao messages lists them
assign-done = Message { $id } assigned to { $unit } (công văn { $number }).
learn-address-owned = Address { $address } not learnt: it is the registered address of { $owner }; correct the units registry if it changed hands.
learn-address = Learnt: mail from { $address } is taken as { $unit }'s from now on (forget with baocao units alias remove).
learn-address-moved = Learnt: mail from { $address } is taken as { $unit }'s from now on, no longer { $from }'s (forget with baocao units alias remove).
learn-name = Learnt the sender name "{ $name }" as another name of { $unit } (forget with baocao units alias remove).
learn-name-moved = Learnt the sender name "{ $name }" as another name of { $unit }, no longer { $from }'s (forget with baocao units alias remove).
mark-done = Recorded that { $unit } handed in { $item } on paper at { $at }.

## Reading the mailbox, the daemon (poll, run)
err-run-nothing = neither [mailbox] nor [smtp] in { $config }; baocao run needs the office mailbox, the outgoing server, or both
log-stop-requested = stop requested; finishing the cycle in hand
run-polled = Mailbox: fetched { $fetched }, new { $stored }, known { $duplicates }.
run-tick = Receipts: { $receipts } · Reminders: { $reminders } · Digests: { $digests }
run-draft-rebuilt = Consolidated draft { $campaign } rebuilt: { $reason }.
run-held-back = Not reminding { $unit }: { $why }
run-no-smtp = No [smtp] configured: the mail stays queued.
err-poll-no-mailbox = no [mailbox] section in { $config }; add the office mailbox's IMAP settings (see the commented example in the sample)
poll-progress = Fetching mail
poll-progress-left = left
err-poll = polling { $user } at { $host }:{ $port } failed
poll-summary = Mailbox { $user }: fetched { $fetched }, new { $stored }, known already { $duplicates }.
poll-reread = { $count } mails that had hit an internal error were read again.
poll-reconciled = Full pass: { $count } older mails without the tag were read and tagged.
poll-uidvalidity = Note: the folder "{ $folder }" was recreated on the server (UIDVALIDITY changed); everything was read again, nothing stored twice.

## Figures, forms
figures-none-configured = Công văn { $number } declares no figures to read ([[figures]] in the campaign file).
col-year = Year
col-measure = Measure
col-rated = Rated
figures-unreadable = (no figures read)
figures-no-reports = No report to read figures from yet (công văn { $number }).
figures-breaches = Rule breaches:
figures-to-check = To check:
figures-sources = Where each number comes from (sentence or table cell): baocao figures --campaign { $campaign } --json
err-forms-message = message [{ $row }] ({ $id })
forms-cells = { $count } cells with content
forms-marks = { $yes } suitable, { $no } not suitable, { $proposals } proposals
forms-none = No form read yet for công văn { $number }.
col-form = Form
col-content = Content
col-problems = Problems
col-file = File
forms-detail-hint = Every row: baocao forms --campaign { $campaign } --unit UNIT-ID --json

## Demo
demo-intro = baocao demo — sample mailbox: { $count } mails of units answering Công văn { $number }.
demo-stored = Stored { $count } mails in { $dir } (originals in archive/; get attachments out with baocao export).
demo-outbox = Automatic mail (not sent, written as .eml files in { $dir }): { $receipts } receipts, { $reminders } reminders, { $digests } staff digests; { $files } files.
demo-drafts = Consolidated drafts for the Ban Tổ chức (the deadline has passed):
    {"  "}{ $xlsx }
    {"  "}{ $docx }
demo-try = Try next:
demo-try-messages = baocao --config { $cfg } messages            # each mail: unit, request, files, how it was recognised
demo-try-attention = baocao --config { $cfg } messages --attention  # only the mail staff must look at
demo-try-status = baocao --config { $cfg } --now { $now } status --json
demo-try-assign = baocao --config { $cfg } assign '{ $id }' loc-ngai   # assign a mail of no known unit
demo-try-mark = baocao --config { $cfg } mark loc-an bieu1 --note "nộp bản giấy"   # record a paper submission
demo-try-remind = baocao --config { $cfg } remind --dry-run      # who misses what, whom reminders would go to
demo-try-digest = baocao --config { $cfg } digest --dry-run      # the staff digest
demo-try-consolidate = baocao --config { $cfg } consolidate --out du-thao   # the Excel workbook and the Word draft
demo-try-ingest = baocao ingest MAIL-FOLDER                  # read real mail: .eml, Maildir or mbox
err-demo-config = cannot write the demo config into { $dir }
err-demo-not-ours = { $dir } exists and is not a baocao demo folder; name another with --data DIR
err-demo-clear = cannot clear the old demo folder { $dir }
demo-marker = baocao demo folder; baocao demo may delete it

## Checking the configuration, test mail (check-config, send-test)
check-yes = yes
check-no = NO
check-config = Configuration: { $file } — valid
check-data-dir = Data folder: { $dir }
check-campaign = Request { $number } ({ $id }): deadline { $deadline }
check-units = Units in the list: { $count }
check-pdf = Text in PDF files (pdftotext): { $ok }
check-ocr = Text recognition on scans (OCR, tesseract with Vietnamese): { $ok }
check-ocr-missing = {" "}— scans will be marked for staff to read (install: apt-get install tesseract-ocr tesseract-ocr-vie)
check-doc = Word 97 .doc files (LibreOffice): { $ok }
check-doc-missing = {" "}— .doc files will be kept and marked "open by hand" (install: apt-get install libreoffice-writer-nogui)
check-imap-none = Mailbox (IMAP): no [mailbox] configured
check-imap-ok = Mailbox (IMAP): connected and logged in — { $detail }
check-imap-failed = Mailbox (IMAP): ERROR — { $error }
check-imap-detail = { $user }@{ $host }:{ $port } ({ $folders ->
        [one] { $folders } folder
       *[other] { $folders } folders
    })
check-smtp-none = Sending (SMTP): no [smtp] configured
check-smtp-ok = Sending (SMTP): connected and logged in — { $detail }
check-smtp-ok-no-login = Sending (SMTP): connected (no login) — { $detail }
check-smtp-failed = Sending (SMTP): ERROR — { $error }
check-templates-ok = Mail templates ({ $dir }): usable
check-templates-count = { $count } mail templates render
check-templates-failed = Mail templates: ERROR — { $error }
err-check-template = a mail template is wrong: { $error }
err-check-imap = the mailbox check failed: { $error }
err-check-smtp = the SMTP check failed: { $error }
err-send-no-smtp = no [smtp] section in { $config }; add the outgoing mail settings (see the commented example)
send-already-queued = A test mail with key { $key } was queued before; not sent again.
send-summary = Sent { $sent }, to retry { $retry }, failed { $failed }.
err-send-test-failed = the test mail was not sent: { $problem }
err-send-other-failed = a mail of the outbox was not sent: { $problem }

## Files and mail that cannot be read (the library's text only after, as technical detail)
fault-detail = { $text } (technical detail: { $detail })
fault-zip-broken = the zip file is damaged and does not open; ask the unit to send it again
fault-zip-cut = the zip file is damaged and does not open; it may have been cut short in transit — ask the unit to send it again
fault-office-cut = the Office file is damaged and does not open; it may have been cut short in transit — ask the unit to send it again
fault-zip-entry = entry { $index } of the archive cannot be read
fault-unzip = { $name }: cannot be unpacked
fault-word-broken = the Word file is damaged and does not open
fault-word-structure = the Word file's structure is damaged; the text after the damage cannot be read
fault-office-broken = the file is damaged and does not open
fault-sheet-broken = the spreadsheet does not open
fault-sheet-unreadable = sheet "{ $name }" cannot be read
fault-pdf-structure = the PDF's structure is damaged; its text could still be read
fault-pdf-temp = cannot write the temporary file to read the PDF
fault-pdf-text = cannot read the text of the PDF
fault-convert = LibreOffice could not convert the file
fault-ocr = picture of a document — staff must read it (text recognition failed)
fault-scan-ocr = scanned document — staff must read it (text recognition failed)
fault-reader-send = cannot hand the file to the document reader
fault-maildir-open = cannot open the Maildir folder
fault-mail-read = cannot read a mail
fault-mbox-mail-read = cannot read mail number { $number }
fault-read = read error

## Mailbox (IMAP)
imap-connect = cannot connect to { $host }:{ $port }; check host, port and the network
imap-tls = TLS with { $host } failed; check the server name matches its certificate, or set ca-file
imap-login = the mail server refused the login for { $user }; check username and password in [mailbox]
imap-folder = cannot open folder "{ $folder }"; check folders in [mailbox]
imap-timeout = the mail server did not answer within { $seconds } s while { $step }
imap-protocol = IMAP error while { $step }
imap-step-connecting = connecting
imap-step-greeting = reading the greeting
imap-step-starttls = starting TLS
imap-step-login = logging in
imap-step-folder = opening a folder
imap-step-search-unflagged = searching for unflagged mail
imap-step-search-new = searching for new mail
imap-step-fetch = fetching mail
imap-step-flag = flagging stored mail
imap-step-move = moving stored mail
imap-step-idle = starting IDLE

## Outgoing mail server (SMTP)
smtp-no-user = (no name)
smtp-login-later = the mail server { $at } cannot check logins for now ({ $reply }); will retry
smtp-login-refused = the mail server { $at } refused the login of { $user } — wrong username or password ({ $reply }); check username and password (password-env / password-file) in [smtp]
smtp-login-needed = the mail server { $at } wants a login ({ $reply }); add username and password-env to [smtp]
smtp-rejected = the mail server { $at } refused this mail ({ $reply })
smtp-certificate = cannot verify the TLS certificate of { $host } ({ $reply }); host must be the name in the server's certificate, or set ca-file
smtp-tls = the TLS handshake with { $at } failed ({ $reply }); check security: port 465 uses "tls", port 587 uses "starttls"
smtp-refused = cannot connect to { $at }: the server refused the connection (no service on this port); check host and port
smtp-unreachable = cannot connect to { $at } ({ $reply }); check host, port and the network
smtp-no-starttls = the mail server { $at } offers no STARTTLS ({ $reply }); check port and security (port 465 uses "tls")
smtp-no-auth = the mail server { $at } allows no login on this connection ({ $reply }); usually security = "starttls" or "tls" is needed
smtp-busy = the mail server { $at } does not take mail for now ({ $reply }); will retry
smtp-other = sending through { $at } failed
smtp-no-noop = the mail server { $at } accepts connections but does not answer NOOP
smtp-timeout = the mail server { $at } did not answer within { $seconds } s; check the network, firewall, port and security (port 465 uses "tls", port 587 uses "starttls")
smtp-no-answer = no answer within { $seconds } s
smtp-ca-file = cannot read ca-file { $path }: { $error }
tls-bad-certificate = bad certificate in { $path }: { $error }
smtp-bad-from = sender address { $address }: { $error }
smtp-bad-to = recipient address { $address }: { $error }
smtp-bad-content-type = content type { $value }: { $error }

## Mail templates
err-template = template { $file }: { $detail }
err-template-line = line { $line }
err-template-wrong = the template is wrong
err-template-read = cannot read it
err-template-subject = the first line must be the subject, written "Subject: …"
err-compose = cannot compose the mail (an address or header is not valid)
err-transport = cannot set up sending through { $host }; check [smtp]

## Web console and its accounts (web, users)
web-running = The console is running: open { $url } in a browser (Ctrl-C to stop).
web-no-accounts = No account yet: create one with  BAOCAO_PASSWORD=... baocao users add NAME --role sua
users-err-stdin = cannot read the password from standard input
users-err-short = the password must have at least { $min } characters; put it in BAOCAO_PASSWORD or type it on standard input
users-err-name = account name "{ $name }" is not valid: use only letters, digits and . - _ @
users-err-role = role "{ $role }": choose xem (read only) or sua (read and change)
users-err-exists = the account { $name } exists already; change its password with baocao users passwd { $name }
users-err-none = there is no account { $name }
users-err-hash = cannot hash the password: { $detail }
users-audit-add = Created an account
users-audit-passwd = Changed a password
users-audit-remove = Removed an account
users-added = Created the account { $name } ({ $edit ->
        [true] may read and change
       *[other] read only
    }).
users-passwd-done = Changed the password of { $name }; its old sessions have ended.
users-removed = Removed the account { $name }.
users-none = No account yet. Create one with: baocao users add NAME --role sua

## Configuration errors: problem and fix (config)
cfg-campaign-id = campaign id "{ $id }" is not usable on the command line
cfg-campaign-id-fix = use ASCII letters, digits and '-', e.g. id = "809-CV-HU"
cfg-issued = `issued` must be a date
cfg-issued-fix = write e.g. issued = 2023-01-12
cfg-deadline = `deadline` is not a date or a date-time
cfg-deadline-fix = write e.g. deadline = 2023-01-30 (end of that day) or 2023-01-30T17:00:00+07:00
cfg-consolidation-deadline = `consolidation-deadline` is not a date or a date-time
cfg-consolidation-deadline-fix = write e.g. consolidation-deadline = 2023-02-01
cfg-consolidation-before = the consolidation deadline is before the unit deadline
cfg-consolidation-before-fix = set consolidation-deadline on or after deadline
cfg-units-item = `units` lists something that is not a unit kind
cfg-units-item-fix = write units = "all" or units = ["dang_bo_co_so", "chi_bo_co_so"]
cfg-units = `units` must be "all" or a list of unit kinds
cfg-units-fix = write units = "all" or units = ["dang_bo_co_so"]
cfg-keywords = the campaign has no keywords, so no mail can be recognised as answering it
cfg-keywords-fix = list the request number and the documents it cites, e.g. keywords = ["809-CV/HU", "Quy định 132"]
cfg-items = the campaign asks for no items
cfg-items-fix = add at least one [[items]] table with id, name and keywords
cfg-item-twice = item id "{ $id }" is used twice
cfg-item-twice-fix = give every [[items]] its own id
cfg-item-id = item id "{ $id }" is not usable on the command line
cfg-item-id-fix = use ASCII letters and digits, e.g. id = "bieu1"
cfg-item-kind = item "{ $id }" has unknown kind "{ $kind }"
cfg-item-kind-fix = use kind = "report", "form" or "other"
cfg-reminder-at = reminder time "{ $value }" is not HH:MM
cfg-reminder-at-fix = write e.g. at = "08:00"
cfg-working-time = "{ $value }" is not a time HH:MM
cfg-working-hours-fix = write e.g. working-hours = ["07:30", "17:00"]
cfg-working-hours = working-hours needs a start and an end
cfg-reminder-outside = reminders at { $at } fall outside working-hours { $from }–{ $to }
cfg-reminder-outside-fix = put `at` inside working-hours, and the start before the end
cfg-extension = the extension for "{ $unit }" is not a date or a date-time
cfg-extension-fix = write e.g. loc-an = 2023-02-03 (end of that day)
cfg-form-item = form for item "{ $item }", which the campaign does not ask for
cfg-form-item-fix = set item to one of the [[items]] ids
cfg-form-checklist = checklist form "{ $item }" needs yes-header, no-header and groups with rows
cfg-form-checklist-fix = see the Biểu số 2 example in config/campaigns/809-CV-HU.toml
cfg-form-grid = grid form "{ $item }" needs columns and rows
cfg-form-grid-fix = see the Biểu số 1 example in config/campaigns/809-CV-HU.toml
cfg-form-date-sub-row = date-sub-row "{ $value }" is not one of sub-rows
cfg-form-date-sub-row-fix = copy the label from sub-rows
cfg-form-kind = unknown form kind "{ $kind }"
cfg-form-kind-fix = use kind = "checklist" or "grid"
cfg-fig-year = { $year } in [figure-reading] years is not a year
cfg-fig-year-fix = write e.g. years = [2018, 2019, 2020, 2021, 2022]
cfg-fig-level-id = level id "{ $id }" is not usable in rules and JSON
cfg-fig-level-id-fix = use ASCII letters, digits and '-', e.g. id = "htxs"
cfg-fig-level-twice = level id "{ $id }" is used twice
cfg-fig-level-twice-fix = give every [[figure-levels]] its own id
cfg-fig-figure-id = figure id "{ $id }" is not usable in rules and JSON
cfg-fig-figure-id-fix = use ASCII letters, digits and '-', e.g. id = "dang-vien"
cfg-fig-figure-twice = figure id "{ $id }" is used twice
cfg-fig-figure-twice-fix = give every [[figures]] its own id
cfg-fig-no-levels = figures are declared but no [[figure-levels]] to split them into
cfg-fig-no-levels-fix = add [[figure-levels]] entries (id, name, words) before [[figures]]
cfg-rule-twice = rule id "{ $id }" is used twice
cfg-rule-twice-fix = give every [[rules]] its own id
cfg-rule-level = rule "{ $id }" names level "{ $level }", which no [[figure-levels]] has
cfg-rule-level-fix = use the id of one of the [[figure-levels]]
cfg-rule-no-figure = rule "{ $id }" applies to no figure
cfg-rule-no-figure-fix = list the figure ids it applies to, e.g. figures = ["dang-vien"]
cfg-rule-figure = rule "{ $id }" names figure "{ $figure }", which no [[figures]] has
cfg-rule-figure-fix = use the id of one of the [[figures]]
cfg-rule-percent = rule "{ $id }": at-most-percent = { $value } is not a share
cfg-rule-percent-fix = write a percentage above 0 and at most 100, e.g. at-most-percent = 20
cfg-security = unknown security "{ $value }"
cfg-security-fix = use "tls", "starttls" or "plain"
cfg-security-plain = security = "plain" would send { $what } to { $host } unencrypted
cfg-security-plain-fix = use "tls" or "starttls"; plain is only for a server on this machine
cfg-what-password = the password
cfg-what-mail = mail
cfg-mailbox-password = the mailbox needs exactly one of password-env and password-file
cfg-mailbox-password-fix = write password-env = "BAOCAO_IMAP_PASSWORD" (never the password itself)
cfg-keyword = "{ $value }" is not a valid IMAP keyword
cfg-keyword-fix = use ASCII letters, e.g. keyword = "$BaoCao"
cfg-move-to = move-to = "{ $folder }" is also one of the folders that are read
cfg-move-to-fix = move stored mail to a folder that is not in folders, or leave move-to out
cfg-from = from = "{ $value }" is not an address
cfg-from-fix = write e.g. from = "Văn phòng Huyện ủy <vanphong@example.vn>"
cfg-smtp-login = a login needs username and exactly one of password-env and password-file
cfg-smtp-login-fix = write username and password-env = "BAOCAO_SMTP_PASSWORD", or neither
cfg-cron-fields = "{ $value }" needs 5 fields: minute hour day-of-month month day-of-week
cfg-cron = "{ $value }" is not a cron expression
cfg-campaigns-dir = cannot read the campaigns folder { $dir }
cfg-campaigns-dir-fix = create it or point campaigns-dir at the folder with the campaign .toml files
cfg-timezone = unknown time zone "{ $value }"
cfg-timezone-fix = use an IANA name such as "Asia/Ho_Chi_Minh"
cfg-holiday = holiday { $value } is not a date
cfg-holiday-fix = write dates as 2023-01-23
cfg-campaign-twice = campaign id "{ $id }" is also used by another file ({ $number })
cfg-campaign-twice-fix = give each campaign file its own id
cfg-cron-fix = write e.g. cron = "30 7 * * 1-5" (07:30 Monday to Friday), or "" for no digest
cfg-listen = [web] listen "{ $value }" is not an address and port
cfg-listen-fix = write e.g. listen = "127.0.0.1:8080"
cfg-tls = [web] needs both tls-cert and tls-key, or neither
cfg-tls-fix = give the PEM certificate chain and its private key
cfg-toml-unknown = unknown field `{ $key }`
cfg-toml-unknown-fix = remove or correct the key; the annotated sample config/baocao.toml lists every key
cfg-toml-missing = missing field `{ $key }`
cfg-toml-missing-fix = add the required key (see the annotated sample in config/)
cfg-toml = the TOML syntax is wrong
cfg-toml-fix = correct the TOML syntax at that line
cfg-csv-header = cannot read the header row
cfg-csv-header-fix = save the file as CSV UTF-8
cfg-csv-column = the header has no column "{ $column }" (found: { $found })
cfg-csv-column-fix = the first line must be id,name,short_name,emails,kind (aliases optional)
cfg-csv-row = unreadable row
cfg-csv-row-fix = check quoting and that the file is UTF-8
cfg-csv-columns = this row has { $found } columns, at least { $needed } are needed (id,name,short_name,emails,kind)
cfg-csv-columns-fix = correct the row in Excel and save it again as CSV UTF-8; separate several addresses with ;
cfg-unit-id = unit id "{ $id }" is empty or not plain ASCII
cfg-unit-id-fix = use ASCII letters, digits and '-', e.g. loc-thanh
cfg-unit-twice = unit id "{ $id }" appears twice
cfg-unit-twice-fix = give each unit its own id
cfg-unit-name = unit { $id } has no name
cfg-unit-name-fix = fill in the name column
cfg-unit-email = unit { $id }: "{ $value }" is not an e-mail address
cfg-unit-email-fix = separate addresses with ';', e.g. a@gmail.com;b@lamdong.gov.vn
cfg-units-none = the file lists no units
cfg-units-none-fix = add one row per unit under the header

## Problems reading mail and files: limits, damaged files, tools (stored in the language of the process that read them)
prob-sheet-declared = sheet "{ $sheet }" declares { $rows } rows × { $cols } columns, beyond the reading limit; the workbook is not read — open it by hand
prob-shared-strings = the workbook declares { $count } shared strings, beyond the reading limit or not matching its content; not read — open it by hand
prob-unpacked-mb = unpacks to { $size } MB, beyond the limit of { $limit } MB (a zip bomb, probably); not read
prob-sheet-cells = sheet "{ $sheet }" has more than { $count } cells with data, beyond the reading limit; only the first part is read
prob-sheet-size = sheet "{ $sheet }" has { $rows } × { $cols } cells, beyond the reading limit; only the first { $kept } rows are read
prob-sheet-merges = sheet "{ $sheet }" has too many merged areas; the rest are not spread out
prob-word-no-body = the Word file has no readable body
prob-word-not-utf8 = the content of the Word file is not valid (not UTF-8): the file is damaged
prob-word-cells = the tables of the file have more than { $count } cells, beyond the reading limit; only the first rows are read
prob-word-copies = merged cells or nested tables of the file repeat too much text; the repeats are not copied into each cell — compare with the original file
prob-pdf-broken = the PDF file is damaged and cannot be read; ask the unit to send it again
prob-pdf-pages = { $pages } pages; only the first { $kept } are read
prob-pdf-no-poppler = reading the text of a PDF needs poppler-utils (pdftotext), which is not installed
prob-scan-ocr = a scan — the text was recognised by OCR, staff should compare
prob-scan-no-ocr = a scan — staff should look (no text layer; OCR is not installed)
prob-tool-timeout = { $tool } ran longer than { $seconds } seconds and was stopped
prob-old-format = an old format (Word 97 .doc or similar) and LibreOffice is not installed — open the file by hand
prob-photo-no-ocr = a photo of a document — staff should look (OCR is not installed)
prob-photo-ocr = a photo of a document — the text was recognised by OCR, staff should compare
prob-file-mb = the file weighs { $size } MB, beyond the reading limit of { $limit } MB; open it by hand
prob-not-mail = not an e-mail message ({ $why })
prob-mail-too-large = the mail weighs { $size } bytes, beyond the limit of { $limit } bytes; open it by hand
prob-parser-failed = the mail reader failed inside on this mail (damaged MIME structure); the mail is kept — open it by hand
prob-empty = the file is empty
prob-no-header-read = no header line can be read
prob-no-header = no mail header line found
prob-in-forwarded = in the forwarded mail: { $problem }
prob-subject-undecodable = the subject has characters that cannot be decoded
prob-bad-date = the Date line of the mail is not a valid date
prob-too-many-parts = the mail has { $count } attachments, beyond the limit of { $limit }; only the first { $limit } are read
prob-and-more = {" "}and { $count } more
prob-zip-unsafe = the archive has unsafe member names (paths pointing outside, absolute paths or control characters): { $names }
prob-zip-duplicates = the archive has members with the same name (a later one may hide an earlier one): { $names }
prob-zip-depth = zip files nested more than { $limit } deep; not opened — open it by hand
prob-zip-entries = the zip file has { $count } members, beyond the limit of { $limit }; not opened — open it by hand
prob-zip-ratio = { $name }: compression ratio { $ratio }:1 above { $limit }:1 (a zip bomb, probably); not unpacked
prob-zip-budget = { $name }: unpacks to { $size } bytes, beyond the { $budget } bytes left; not unpacked
prob-zip-over = { $name }: unpacking goes beyond the limit; not unpacked
prob-empty-file = empty file (0 bytes)
prob-not-pdf = the file ends in .pdf but lacks the start of a PDF file; it may be damaged — ask the unit to send it again
prob-plain-zip = the file ends in .{ $ext } but holds none of the parts of a .{ $ext } file; it is a plain zip archive
prob-bounce-no-reason = not delivered (the server gave no reason)
prob-reading-now = the attachments of this mail are being read
prob-xls-loop = the .xls file is damaged (its inner structure loops, with no end); not read — ask the unit to send it again
prob-xls-outside = the .xls file is damaged (its inner structure points outside the file, perhaps cut short in transit); not read — ask the unit to send it again
prob-pdf-inflated = the PDF file has compressed data unpacking to more than { $limit } MB ({ $seen } MB counted, a compression bomb, probably); its text is not read — open it by hand
prob-sheet-reader-failed = the workbook is damaged and the spreadsheet reader cannot read it; open it by hand — ask the unit to send it again
prob-sheet-sparse = sheet "{ $sheet }" spans { $rows } rows × { $cols } columns but has only { $cells } cells with data; the empty rows and columns between were dropped — compare with the original file
prob-disguised-program = the file "{ $name }" is named like a document but is really a program (malware, possibly); not opened — do not open this file on a computer
prob-program = the file "{ $name }" is a program, not a document; not opened — do not open this file on a computer
prob-not-office = the file ends in .{ $ext } but is not a valid .{ $ext } file (no sign of an archive); it may be damaged — ask the unit to send it again
prob-subject-cut = the subject is { $chars } characters long and was cut when stored: only the first { $kept } are kept
prob-name-cut = the sender's name is too long and was cut when stored: only the first { $kept } characters are kept
prob-address-cut = the sender's address is longer than { $limit } characters, not a valid address; it was cut when stored (dropped)
prob-header-kb = the header of the mail weighs { $size } KB, beyond the limit of { $limit } KB; lines too long were cut when stored
prob-mime-depth = the mail nests MIME parts { $depth } deep, beyond the limit of { $limit }; look at the mail by hand to be sure no file is missed
prob-charsets = the mail uses a character set that is not supported ({ $charsets }); the text may be wrong — look at the original mail
prob-forward-depth = forwarded mail nested more than { $limit } deep; the deeper levels are not opened
prob-name-undecodable = the attachment name "{ $name }" has characters that cannot be decoded
prob-forward-kept = forwarded mail nested more than { $limit } deep; the deeper levels are not opened (kept as the file "{ $name }")
prob-stored-reading = { $file }: the stored reading of the file cannot be read back; read the mail again
mail-item-short = Form { $number }
prob-tool-not-started = { $tool } could not be started
prob-no-output = { $tool } produced no file
prob-temp-dir = cannot create a temporary folder
prob-temp-write = cannot write a temporary file
cfg-secret-env = the environment variable { $name } (password-env) is not set
cfg-secret-read = cannot read password-file { $file }
cfg-secret-mode = password-file { $file } can be read by other users; run chmod 600 on it
mail-err-no-recipients = no digest recipients (or every one bounced; see baocao addresses bad): set recipients under [digest] or [staff] in the configuration
prob-reader-memory = file too large: reading it needs more memory than allowed — open it by hand
prob-reader-time = reading took too long: the file was not read within the time allowed — open it by hand
prob-reader-crash = the file broke the reader: it made the document reader stop suddenly — open it by hand
prob-internal = internal error reading this mail ({ $what }); the mail is kept — please tell the administrator
prob-named-but = cannot be read: the file is named .{ $ext } but holds { $kind }
prob-scan-no-text = cannot be read: a scan in which text recognition (OCR) found no text
prob-no-text = cannot be read: the file has no text
prob-not-counted = "{ $file }": { $why } — not counted as handed in; if it is a document due, staff accept the file on the message's page
prob-kind-image = a picture
prob-kind-empty = nothing
prob-kind-other = no document
prob-implausible-time = the time of receipt written in the mail ({ $said }) cannot be right; { $used } is used instead — staff check again if this mail came close to the deadline
prob-no-sender = the mail has no sender address (From): no unit is decided from the subject or file names alone — staff assign the unit if right
prob-secret = "{ $file }" is marked "{ $mark }": secret documents must not be sent by ordinary e-mail — handle it under the rules for secret documents
prob-bounce-about = {" "}(original Message-ID { $id })
prob-bounce-failed = a bounce: mail to { $addr } came back{ $about } — { $reason }. The address is recorded as bad and no longer sent to; correct it in the units list on the console, then mark the address good again
prob-bounce-delayed = a delay notice: mail to { $addr } has not arrived yet{ $about }, the server keeps trying — { $reason }. Nothing to do yet
prob-bounce-unknown = a bounce{ $about }, but no failed address could be read from it; open the mail to see
prob-quarantined = reading this mail was cut off every time; the mail is set aside — staff open its files by hand
prob-archive-unreadable = this mail cannot be read again from the archive
ingest-progress = {"{"}spinner{"}"} Reading mail in [{"{"}bar:30{"}"}] {"{"}bytes{"}"}/{"{"}total_bytes{"}"} · {"{"}elapsed{"}"} ({"{"}eta{"}"} left)
held-max = reminded { $count } times already (max-per-unit)
held-recent = reminded less than min-interval-hours ago
held-no-address = no usable address (none registered, or mail to every address bounced)
source-not-found = no such file or folder
source-no-permission = no permission to read
source-not-mail = not an e-mail (.eml), an mbox mailbox or a Maildir folder; an attachment is read in with the mail that carries it
source-list-dir = cannot list the folder: { $cause }
source-open-mbox = cannot open the mbox mailbox: { $cause }
daemon-config-changed = the configuration files changed ({ $files }); baocao run keeps the old configuration until it is restarted
form-both-marked = both columns "Phù hợp" and "Chưa phù hợp" are marked at { $at }
form-none-marked = no column is marked at { $at }
form-unknown-row-in = row "{ $row }" ({ $group }) is not in the template of the form; not counted
form-missing-row = row { $group } / { $row } of the template is missing
form-unknown-row = row "{ $row }" is not in the template of the form; not counted
form-not-a-date = "{ $value }" at { $at } is not a date
form-stored-unreadable = what was read from the file "{ $file }" is stored in a form this version cannot read
form-no-template = the request has no template for this form
form-no-table = the file has no table
form-no-header = no header row carries the year columns of the template ({ $columns })
form-no-row = the year columns are there but no row matches the rows of the template ("{ $first }" …)
form-checklist-no-row = the columns "Phù hợp" and "Chưa phù hợp" are there but no row matches the rows of the template
form-checklist-no-header = no table has the two columns "Phù hợp" and "Chưa phù hợp"
store-no-unit = there is no unit "{ $unit }"
store-no-message = no message "{ $key }" in the register; `baocao messages` lists their Message-IDs
rec-other-request = the { $place } names the document { $number }, not a request being followed: the mail counts for no request — staff check in case the unit wrote the number wrong
rec-file-unknown = which document the file "{ $file }" is was not found; staff choose it on the message's page
rec-subject-form-missing = the subject says { $item } is attached but no { $item } table was found in the attachments ({ $files }); { $item } is marked to check — staff open the file and, if right, accept it as { $item } on the message's page
rec-forward-date = the date of the original mail in the forward cannot be read ({ $date }); the time of the forward counts as received — staff check
rec-no-date-line = no date line
place-subject = subject
place-sender-name = sender's name
place-body = text of the mail
place-document = attached document
place-document-issuer = issuer line of the document
place-document-signature = signature block of the document
place-filename = file name
rec-unit-conflict = the mail comes from the address of { $unit }, but the { $place } says { $other } — staff check; if needed, correct it on the message's page
rec-unit-by = { $unit } (by the { $place })
rec-several-units = the mail names several different units: { $units }; no unit assigned — staff choose the unit on the message's page
rec-names-several = the { $place } names several units ({ $units })
rec-subject-says = the subject says the file "{ $file }" is { $item }
rec-named-as = the file "{ $file }" is named { $item }
rec-form-not-found = { $said } but no { $item } table is recognised inside ({ $why }); { $item } is marked to check — staff open the file and, if right, accept it as { $item } on the message's page
rec-named-but-holds = the file "{ $file }" is named { $item } but holds { $found }; it counts by what it really holds

# Reading the mailbox (poll): errors and events staff see.
poll-busy = another baocao is reading { $mailbox } right now (one poll at a time per mailbox); try again when it has finished
poll-lock = cannot create the lock file { $path }
poll-pipeline = the mail-reading threads stopped unexpectedly; mail not stored is read again next time
poll-uidvalidity = folder "{ $folder }" of { $account }: UIDVALIDITY changed from { $was } to { $now }; the folder was read again in full
poll-recovered = reading the mailbox works again (it failed with: { $was })
daemon-units-unreadable = cannot read the units registry
template-built-in = { $name } (built in)
