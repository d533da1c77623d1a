# Words of the web console (baocao web), in English on request: the pages
# (src/web/templates/*.html take them through t("id")), error messages, the audit log. The
# audit log keeps its words in the language of the process that wrote them.

## Common
web-lang = en
web-nav-attention = To do
web-nav-campaigns = Requests
web-nav-outbox = Sent mail
web-nav-units = Units
web-nav-audit = Audit log
web-read-only = read only
web-logout = Log out
web-unknown = unknown
web-see = see
web-assign = Assign
web-choose-unit = choose a unit
web-accept = Accept (it opened)
web-reject = Reject
web-to-review = To review
web-no-cases = Nothing to do.
web-campaign = Request { $number }
web-points-to-check = { $count ->
        [one] { $count } point to check
       *[other] { $count } points to check
    }
web-figures-heading = Figures taken from the report

## Table columns
web-col-campaign = Request
web-col-deadline = Deadline
web-col-unit = Unit
web-col-state = State
web-col-unidentified = Mail of no known unit
web-col-kind = Kind
web-col-created = Created
web-col-sent = Sent
web-col-to = To
web-col-subject = Subject
web-col-at = At
web-col-who = Who
web-col-what = What
web-col-target = About
web-col-before = Before
web-col-after = After
web-col-sender = Sender
web-col-received = Received
web-col-duplicate = Duplicate
web-col-file = File
web-col-is-document = Is document
web-col-readable = Readable
web-col-document = Documents
web-col-number = No.
web-col-id = Id
web-col-name = Name
web-col-short-name = Short name
web-col-addresses = Mail addresses

## Page titles
web-title-home = Overview
web-title-matrix = Reports received
web-title-unit = Unit
web-title-message = Mail
web-title-outbox = Outbox

## Login, error page
web-login = Log in
web-login-intro = Follows the units' reports. Log in with an office staff account.
web-login-name = Account name
web-login-password = Password
web-login-stale = The login page was out of date; please log in again.
web-login-blocked = Too many failed logins. Wait 15 minutes, then try again.
web-login-wrong = Wrong account name or password.
web-error-title = Error
web-error-heading = That did not work
web-error-home = Back to the first page

## First page
web-home-heading = Requests followed
web-home-as-of = As of { $at }.
web-home-cases = { $count ->
        [one] { $count } thing to do
       *[other] { $count } things to do
    }
web-home-none = No request is configured.

## One request's reports
web-matrix-deadline = Deadline:
web-matrix-as-of = Reports as of { $at }
web-matrix-total = { $count ->
        [one] { $count } unit:
       *[other] { $count } units:
    }
web-matrix-on-time = { $count } complete, on time
web-matrix-late = { $count } complete, late
web-matrix-partial = { $count } incomplete
web-matrix-missing = { $count } sent nothing
web-matrix-unidentified = { $count ->
        [one] { $count } mail of no known unit
       *[other] { $count } mails of no known unit
    }
web-matrix-show = Show:
web-filter-all = All
web-filter-missing = Incomplete
web-filter-late = Late
web-filter-check = To check
web-matrix-extended = extended until { $until }
web-matrix-empty = No unit in this view.
web-remind-all = Remind every incomplete unit now
web-rebuild-drafts = Build the consolidated drafts again
web-drafts-built = Drafts built at { $at }:
web-drafts-xlsx = Consolidated table (Excel)
web-drafts-docx = Draft report (Word)
web-drafts-none = No consolidated draft built yet.
web-cell-paper = handed in on paper { $at }
web-cell-late = received late { $at }
web-cell-received = received { $at }
web-cell-unreadable = the file sent cannot be read
web-cell-to-check = to check: a file named after this form was sent, but its table was not recognised
web-cell-missing = not received

## One unit
web-unit-state = State:
web-unit-deadline = The unit's deadline:
web-unit-extended = extended
web-unit-next-reminder = Next automatic reminder:
web-unit-no-more-reminders = No automatic reminder left in the plan.
web-unit-complete = Everything handed in, no more reminders.
web-unit-versions = { $count ->
        [one] { $count } version
       *[other] { $count } versions
    }
web-unit-read = What was read
web-unit-read-none = No file whose content could be read yet.
web-unit-actions = Actions
web-extend-date = Extend until
web-extend-time = at
web-extend = Extend
web-paper-item = The unit handed in on paper:
web-paper-note = Note
web-paper = Record the paper copy
web-remind-unit = Remind this unit now
web-unit-addresses = Mail addresses
web-unit-bounced = mail to it bounced
web-unit-no-address = No address in the units list.
web-unit-mail = The unit's mail
web-unit-no-mail = No mail received.
web-unit-sent = Mail sent to the unit
web-unit-none-sent = No mail sent.

## One mail
web-msg-heading = Mail [{ $id }]: { $subject }
web-msg-duplicate-of = This mail duplicates
web-msg-number = mail [{ $id }]
web-msg-unreadable = The mail cannot be read: { $error }
web-msg-quarantined = Reading the attachments failed too often, so it stopped; download the files and open them by hand.
web-msg-assign-unit = This mail is from unit
web-msg-assign-campaign = answering request
web-msg-files = Attachments
web-msg-by-staff = decided by staff
web-msg-readable = yes
web-msg-no-files = The mail has no attachment.
web-msg-send-receipt = Send the receipt (if not sent yet)
web-read-from = Read from the file { $file }
web-msg-body = Text of the mail
web-by-other = recognised automatically
web-by-none = not recognised

## What was read from a file
web-read-how = Read: { $how }
web-read-scanned = scanned copy
web-read-sections = Sections of the report
web-read-outline = section { $id } of the outline: { $title }
web-read-empty = No form and no report section found in the file.
web-read-broken = The stored reading of this file cannot be read back; read the mail again.
web-read-native = read directly
web-read-converted = read after conversion
web-read-ocr = text recognised from a scan (OCR)
web-read-no-text = no text
web-figures-none = No figure could be read.
web-form-col-group = Group
web-form-col-content = Content
web-form-col-fit = Fits
web-form-col-unfit = Does not fit
web-form-col-proposal = Proposal
web-form-cells = { $count ->
        [one] { $count } cell with content
       *[other] { $count } cells with content
    }
web-form-rows = { $count ->
        [one] { $count } row
       *[other] { $count } rows
    }
web-fig-col-year = Year
web-fig-col-figure = Whom
web-fig-col-rated = Rated

## To do
web-attention-unit = From unit
web-attention-campaign = request
web-attention-download = Download the file to try it
web-address-ok = Address corrected, usable again
web-case-mailbox = Reading the mailbox has failed since { $at }: { $detail }. New mail is not read until this is fixed.
web-case-config = Since { $at }: { $detail }. The server's administrator must restart the baocao service.
web-case-unknown-sender = unknown sender
web-case-unreadable = Mail of { $when } from { $from } «{ $subject }» cannot be read: { $error }
web-case-quarantined = reading its files failed too often
web-case-unidentified = Mail of { $when } from { $from } «{ $subject }» { $what }
web-case-no-unit-no-campaign = from no known unit, answering no known request
web-case-no-unit = from no known unit
web-case-no-campaign = answering no known request
web-case-file = File «{ $file }» of the mail of { $when } from { $from } does not open: { $error }
web-case-bounced = Mail to { $address }{ $owner } bounced: { $reason }. Correct the address in the units list, then mark it usable again.
web-case-outbox = { $count ->
        [one] { $count } outgoing mail failed and was not sent
       *[other] { $count } outgoing mails failed and were not sent
    }

## Outbox, units list, audit log
web-outbox-heading = Mail sent and waiting to be sent
web-outbox-none = No mail yet.
web-units-heading = Units list
web-units-download = Download the list (CSV, opens in Excel)
web-units-none = No unit yet.
web-units-import-heading = Load the list again
web-units-import-how = Open the list in Excel, save it as CSV UTF-8, open that in Notepad, copy all of it and paste it here
web-units-import-header = first line:
web-units-import-addresses = several addresses separated by semicolons
web-units-import-replaces = The new list replaces the old one entirely.
web-units-import = Load this list
web-audit-heading = Audit log
web-audit-none = No change yet.

## Errors
web-err-not-found = not found: { $what }
web-err-forbidden = not allowed: { $why }
web-err-store = register error: { $detail }
web-err-notify = error queuing outgoing mail: { $detail }
web-err-internal = server error: { $detail }
web-err-page = page { $page }: { $detail }
web-err-listen = cannot listen on { $addr } ([web] listen): { $detail }
web-addr-in-use = another program already uses this port
web-addr-permission = not allowed to open this port (ports below 1024 need administrator rights)
web-err-no-randomness = no randomness from the system: { $detail }
web-tls-cert = [web] tls-cert { $file }: cannot read the certificate ({ $detail })
web-tls-no-cert = [web] tls-cert { $file } holds no certificate
web-tls-key = [web] tls-key { $file }: cannot read the private key ({ $detail })
web-tls-mismatch = [web] tls-cert and tls-key do not go together ({ $detail })
web-err-form-too-big = the form is too large
web-err-csrf = the form lacks its protection code or is out of date; reload the page and do it again
web-err-read-only = this account may look but not change
web-err-login-first = log in first: open the page /dang-nhap
web-nf-campaign = request { $id }
web-nf-unit = unit { $id }
web-nf-unit-in-campaign = unit { $id } in this request
web-nf-message = mail no. { $id }
web-nf-file = file no. { $idx } of mail { $id }
web-nf-part = file «{ $file }» in the original mail
web-nf-drafts = drafts (not built yet)
web-nf-draft-file = draft file «{ $file }»
web-err-raw-read = cannot read the original mail: { $detail }
web-err-draft-read = cannot read the draft: { $detail }
web-err-no-unit = there is no unit «{ $id }» in the list
web-err-no-item = the request has no item «{ $item }»
web-err-choose-item = choose which document (item) this file is before accepting it
web-err-choose-decision = choose Accept or Reject
web-err-not-a-date = «{ $value }» is not a date (year-month-day)
web-err-not-a-time = «{ $value }» is not a time (hour:minute)
web-err-no-such-moment = that moment does not exist
web-err-before-deadline = the new deadline must be after the request's own ({ $deadline })
web-err-no-templates-reminder = the mail templates are not configured, so no reminder can be sent
web-err-no-templates-receipt = the mail templates are not configured, so no receipt can be sent
web-err-drafts = cannot build the drafts: { $detail }
web-units-pasted = the list pasted in
web-err-units-csv = the units list is not valid: { $detail }
web-err-units-empty = the list has no unit; the old list is kept

## Audit log (stored in the language of the process that wrote it)
web-audit-assign = Assigned a mail to a unit
web-audit-unit-and-campaign = unit: { $unit }; request: { $campaign }
web-audit-message-subject = mail no. { $id } «{ $subject }»
web-audit-reject = Rejected a damaged file
web-audit-not-counted = not counted
web-audit-accept = Accepted a file that could not be read automatically
web-audit-counted-as = counted as { $items }
web-audit-file = file «{ $file }» of mail no. { $id }
web-audit-error = error: { $error }
web-audit-extend = Extended the deadline
web-audit-unit-campaign = { $unit }, request { $number }
web-audit-deadline = deadline: { $at }
web-audit-paper = Recorded a paper copy
web-audit-not-received = not received
web-audit-paper-at = on paper { $at }
web-audit-remind = Remind now
web-audit-campaign = request { $number }
web-audit-remind-none = no reminder (nothing missing, or no usable address)
web-audit-remind-queued = reminders queued to: { $units }
web-audit-receipt = Send a receipt
web-audit-message = mail no. { $id }
web-audit-receipt-queued = receipt queued
web-audit-receipt-not = not sent: the mail already has a receipt, or its unit or request is unknown
web-audit-rebuild = Built the consolidated drafts again
web-audit-rebuilt = { $units } units must report, { $reported } have sent a report
web-audit-address-ok = Marked an address usable again
web-audit-bounced = bounced: { $reason }
web-audit-usable = usable again
web-audit-import = Loaded the units list again
web-audit-units = units list
web-audit-unit-count = { $count ->
        [one] { $count } unit
       *[other] { $count } units
    }
