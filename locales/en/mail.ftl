# Words of the mail baocao sends (English, on request): receipts, reminders, the staff
# digest, the test mail. The templates (templates/*.j2) take them through t("id").

## Test mail (send-test)
mail-test-subject = baocao test mail — { $office }
mail-test-body =
    Dear colleague,

    This is a test mail sent by baocao at { $at }. If you can read this mail and its attachment, receipts and reminders will reach this mailbox.

    Regards.
mail-test-file-name = Test receipt — Office.txt
mail-test-file-text = Test receipt: Vietnamese with diacritics shows correctly (tiếng Việt có dấu).

## Common
mail-lang = en
mail-dear = Dear { $name },

## Receipt (receipt.txt.j2)
mail-receipt-subject = Receipt: { $unit } — request { $number }
mail-receipt-subject-missing = {" "}({ $count ->
        [one] { $count } document missing
       *[other] { $count } documents missing
    })
mail-receipt-subject-complete = {" "}(complete)
mail-receipt-received = { $office } received your mail at { $at }
mail-receipt-subject-was = {" "}(subject: "{ $subject }")
mail-receipt-for = {" "}and recorded it for request no. { $number } — { $title }.
mail-receipt-deadline = Deadline: { $deadline }.
mail-receipt-read = Received and read in this mail:
mail-receipt-file = file "{ $file }"
mail-receipt-nothing = (no document the request asks for was recognised in this mail)
mail-receipt-missing = Still missing from your unit:
mail-receipt-send-more = Please send them before the deadline above, by replying to this mail or in a new mail.
mail-receipt-complete = Your unit has sent every document requested{ $late ->
        [true] {" "}(after the deadline)
       *[other] {""}
    }. Thank you.
mail-receipt-notes = Please note:
mail-receipt-footer = This mail was sent automatically by the report intake system of { $office }; if anything is wrong, reply to this mail and the office staff will check.

## Reminder (reminder.txt.j2)
mail-reminder-subject = { $overdue ->
        [true] Overdue:
       *[other] Reminder:
    } reports for request { $number } — { $unit }
mail-reminder-overdue = The deadline { $deadline } of request no. { $number } of { $issued } from { $issuer } on { $title } has passed, and { $office } has not received all of your unit's documents.
mail-reminder-due = Under request no. { $number } of { $issued } from { $issuer } on { $title }, the deadline is { $deadline }
mail-reminder-days-left = {" "}({ $days ->
        [one] { $days } day left
       *[other] { $days } days left
    })
mail-reminder-missing = As of { $now }, your unit still has to send:
mail-reminder-received = Received: { $items }.
mail-reminder-ask = Please send the missing documents to this address{ $overdue ->
        [true] {" "}as soon as possible
       *[other] {" "}before the deadline
    }. If your unit has sent them already, please ignore this mail; the system sends a receipt when they arrive.

## Staff digest (digest.txt.j2, digest.html.j2)
mail-digest-subject = Reports received as of { $today }
mail-digest-subject-actions = {" "}— { $count ->
        [one] { $count } thing to do
       *[other] { $count } things to do
    }
mail-digest-intro = { $office } — reports received from the units, as of { $now }.
mail-digest-intro-html = {" "}— reports received from the units, as of{" "}
mail-digest-since = New mail counted since the previous digest ({ $since }).
mail-digest-actions = To do
mail-digest-no-actions = Nothing to do.
mail-digest-open = Open the page to handle it
mail-digest-campaign = Request { $number } — { $title }
mail-digest-campaign-short = Request { $number }
mail-digest-deadline = Deadline:
mail-digest-counts = { $units } units in all: { $on_time } complete on time, { $late } complete but late, { $partial } incomplete, { $missing } sent nothing.
mail-digest-legend = Key:
mail-digest-legend-text = Key: ✓ on time · ✓ late received after the deadline · ✓ paper handed in on paper · ✗ not received · ✗ damaged damaged file · ? to check.
mail-digest-on-time-label = Complete, on time:
mail-digest-late-label = Complete, late:
mail-digest-partial-label = Incomplete:
mail-digest-missing-label = Sent nothing:
mail-digest-total-label = In all:
mail-digest-units-word = units
mail-digest-col-unit = Unit
mail-digest-col-state = State
mail-digest-col-at = Received at
mail-digest-col-items = Documents
mail-digest-new-since = New mail since { $since }
mail-digest-received = Mail received
mail-digest-late = Late
mail-digest-partial = Incomplete
mail-digest-missing = Sent nothing
mail-digest-none = None.
mail-digest-none-lower = none
mail-digest-footer-text = This digest was sent automatically by baocao. See the details and act on them in the console: { $console }
mail-digest-footer-html = This digest was sent automatically by baocao. See the details and act on them in the{" "}
mail-digest-console = console

## Times in mail; notes in receipts; the consolidated draft
mail-time = { $time } on { $date }
mail-form-both = { $item }, { $at }: both columns "Phù hợp" and "Chưa phù hợp" are marked
mail-form-none = { $item }, { $at }: no column is marked
mail-form-not-a-date = { $item }, { $at }: the date of issue is not written day/month/year
mail-form-unknown-row = { $item }: row "{ $at }" is not in the form and was not counted
mail-file-broken = File "{ $file }" is damaged or does not open; please send this file again.
mail-file-scanned = scanned; the office staff will check it
mail-file-no-text = The content of file "{ $file }" cannot be read; please send it as Word/Excel or a PDF with text.
mail-reminder-cancelled = the unit sent everything before the reminder went out
mail-draft-subject = Consolidated draft for request { $number } — { $reported }/{ $total } units have reported
mail-draft-body =
    Dear Organisation Board,

    baocao has drawn up the consolidated draft for request no. { $number } ({ $title }), with figures as of { $at }:
    - { $reported }/{ $total } units have reported; { $missing } units have sent nothing.

    Attached: the Excel summary table and the Word draft report for staff to edit. The draft is drawn up and sent again when a unit sends more.

    The newest copy is always in folder { $dir }.

## The digest's data (cells, unit lines, new mail, deadlines, things to do)
mail-unknown-sender = sender unknown
mail-cell-paper = on paper { $at }
mail-cell-late = received late { $at }
mail-cell-on-time = received { $at }
mail-cell-check = { $item }: to check — a file named for this form came, but no table was recognised
mail-cell-damaged = { $item }: the file sent cannot be read
mail-cell-missing = not received
mail-state-not-required = Not required
mail-cell-not-required = not required
mail-legend-on-time = received on time
mail-legend-late = received after the deadline
mail-legend-paper = handed in on paper
mail-legend-damaged = sent but the file is damaged
mail-legend-check = to check: a file named for the form, but no table recognised
mail-unit-late-item = { $items } (received { $at })
mail-unit-late = late: { $items }
mail-unit-partial = missing { $items }
mail-unit-damaged = {" "}({ $items } sent but the file is damaged)
mail-unit-to-check = {" "}({ $items } to check)
mail-unit-nothing = sent nothing
mail-unit-nothing-readable-check = nothing readable received ({ $items } to check: no table recognised in the file sent)
mail-unit-nothing-readable-damaged = nothing readable received ({ $items } sent but the file is damaged)
mail-arrival-unknown-unit = unit unknown ({ $from })
mail-arrival-damaged = { $items } (damaged file)
mail-arrival-nothing = no file recognised
mail-arrival-resend = { $items } (sent again unchanged, not counted)
mail-deadline-today = due today
mail-deadline-days-left = { $days } days left
mail-deadline-passed = overdue
mail-deadline-days-over = { $days } days overdue
mail-act-mailbox = Reading the mailbox has failed since { $at }: { $detail }. New mail is not read until this is fixed
mail-act-config = Since { $at }: { $detail }. The server's administrator must restart the baocao service
mail-act-unidentified = Mail { $at } from { $from } «{ $subject }» (request { $number }): unit unknown
mail-act-file-broken = File «{ $file }» of { $unit } does not open: { $error }
mail-act-file-scanned = File «{ $file }» of { $unit } is a scan (no text to read): staff must open and check it
mail-act-file-problem = File «{ $file }» of { $unit }: { $problem }
mail-act-mail-problem = Mail of { $unit } «{ $subject }»: { $problem }
mail-act-forms-more = {" "}… and { $count } more
mail-act-forms = The forms of { $unit } have { $count } places to look at: { $shown }{ $more }
mail-act-figures = The figures of request { $number } cannot be read to check the rules: { $error }
mail-act-breach = { $unit } — { $breach }; talk to the unit again before consolidating
mail-act-internal = Reading mail { $at } from { $from } hit a program error; the mail is stored and will be read again once fixed — tell the administrator
mail-act-unreadable = Mail { $at } cannot be read ({ $error }); the original is stored at { $path }
mail-act-bounce-owner = {" "}(address of { $unit })
mail-act-bounce = Mail to { $address }{ $owner } bounced: { $reason }. baocao no longer sends to this address; fix it in the units list ({ $csv }), then mark the address usable again
mail-act-outbox-failed = { $count } outgoing mails failed and were not sent
mail-act-outbox-uncertain = { $count } mails may or may not have gone out (the program stopped while sending)
mail-act-no-campaign = Mail { $at } of { $unit } «{ $subject }» answers no known request
mail-act-unknown-both = Mail { $at } from { $from } «{ $subject }»: unit and request unknown

## Figures in the drafts: notes from the checks and rule breaches (the drafts always take the Vietnamese ones)
figures-year = { $year }
figures-no-year = (year unknown)
figures-measure-rated = the number rated
figures-measure-members = the total
figures-measure-level = the number { $level }
figures-conflict = { $figure } { $year }: { $measure } is given as two different numbers ({ $first } and { $second }); the first was used, to be checked.
figures-not-adding-up = { $figure } { $year }: the rating levels add up to { $sum }, not the { $rated } rated.
figures-more-than-members = { $figure } { $year }: more rated ({ $rated }) than the total ({ $members }).
figures-year-missing = No rating results for { $years } (the report must give every year).
figures-breach = { $figure } { $year }: { $count } { $level } against { $of } { $of_level } (at most { $allowed }, i.e. { $percent }%) — over the limit.
figures-unreadable = The report file { $path } cannot be read again; the figures must be entered by hand.
figures-ocr = Figures read from a scan (OCR), to be checked against the original.
figures-scan-no-text = The report is a scan whose text could not be read; the figures must be entered by hand.
