# Câu chữ dòng lệnh của baocao (tiếng Việt, ngôn ngữ mặc định).
# Mỗi mục: mã = câu; { $ten } là chỗ điền giá trị. tests/it/words.rs kiểm tra mọi mã có ở cả
# hai ngôn ngữ và mọi mục đều được dùng.

test-mails = { $count } thư

## Ngày giờ và lịch
cron-raw = theo lịch cron { $cron }
cron-hour = { $hour } giờ
cron-hour-minute = { $hour } giờ { $minute }
cron-every-day = hằng ngày
cron-day-of-month = ngày { $days } hằng tháng
cron-day-range = { $from } đến { $to }
cron-words = { $times }, { $days }
weekday-mon = thứ Hai
weekday-tue = thứ Ba
weekday-wed = thứ Tư
weekday-thu = thứ Năm
weekday-fri = thứ Sáu
weekday-sat = thứ Bảy
weekday-sun = Chủ nhật

## Dòng lệnh sai (clap)
clap-unknown-argument = không có tùy chọn { $arg }
clap-unknown-command = không có lệnh { $command }
clap-invalid-choice = { $arg } không nhận giá trị { $value }; các giá trị dùng được: { $valid }
clap-invalid-value = giá trị { $value } của { $arg } không dùng được: { $reason }
clap-missing = còn thiếu { $arg }
clap-conflict = { $arg } không dùng cùng { $other } được
clap-values = số giá trị của { $arg } không đúng
clap-other = dòng lệnh không đúng
clap-suggest = {" "}(có phải ý là { $suggestion }?)
clap-see-help = . Xem cách dùng: baocao --help (hoặc baocao LỆNH --help).

## Lỗi
err-technical = lỗi kỹ thuật (nguyên văn tiếng Anh của thư viện): { $detail }
err-bad-time = thời điểm không đúng dạng; viết ví dụ 2023-01-28T08:00:00+07:00
err-no-data = chưa có dữ liệu ở thư mục { $dir }: chưa nhập thư nào vào đây, hoặc đường dẫn --data (data-dir) gõ sai. Lệnh baocao ingest, baocao poll --once hay baocao run tạo thư mục dữ liệu khi nhập thư lần đầu (hoặc thêm --init)
data-created = Tạo thư mục dữ liệu mới: { $dir }
err-open-data = không mở được thư mục dữ liệu { $dir }
err-read-file = không đọc được { $path }
err-no-campaign = không có công văn (campaign) mã "{ $id }"; cấu hình có: { $known }
err-no-campaigns = chưa cấu hình công văn nào; thêm tệp công văn vào thư mục campaigns cạnh { $config } (mẫu có chú thích: config/campaigns/README.md)
err-outbox-kind = không có loại thư "{ $word }"; các loại: { $known }
err-runtime = không khởi động được bộ chạy bất đồng bộ
err-config-read = không đọc được tệp cấu hình { $file } ({ $cause }) — cách sửa: kiểm tra đường dẫn (dùng --config TỆP)
err-config-invalid = cấu hình sai ở { $file }: { $problem } — cách sửa: { $fix }
err-config-invalid-line = cấu hình sai ở { $file } dòng { $line }: { $problem } — cách sửa: { $fix }
err-store-db = sổ đăng ký { $path } báo lỗi cơ sở dữ liệu (chi tiết kỹ thuật: { $detail })
err-store-io = không đọc/ghi được { $path } ({ $cause })
err-store-too-new = sổ đăng ký { $path } đã được phiên bản baocao mới hơn nâng cấp (lược đồ { $found }, bản này biết đến { $known }); hãy cài bản baocao mới
err-store-not-found = không tìm thấy: { $what }
io-not-found = không có tệp hoặc thư mục này
io-permission = không có quyền truy cập
io-exists = đã có rồi
io-full = ổ đĩa đầy
io-read-only = ổ đĩa chỉ cho đọc
io-is-dir = đây là thư mục, không phải tệp
io-not-dir = đây không phải thư mục
io-invalid-data = dữ liệu hỏng

## Nhắc nộp, lịch, hộp thư đi (remind, schedule, outbox)
remind-dry-run = Thử (không gửi): { $count } đơn vị còn thiếu tài liệu theo Công văn { $number } lúc { $at }
remind-queued = Đã đưa { $count } thư nhắc vào hàng đợi.
delivery-summary = Đã gửi { $sent }, chờ gửi lại { $retry }, thất bại { $failed }, hủy { $cancelled }.
delivery-problem = LỖI — { $problem }
remind-no-smtp = Chưa cấu hình [smtp]: thư nằm trong hàng đợi, baocao run sẽ gửi khi có máy chủ gửi thư.
remind-bad-addresses = {" "}(bỏ qua, thư bị trả lại: { $addresses })
remind-no-address = — không có địa chỉ
col-unit = Đơn vị
col-units = Các đơn vị
col-missing = Còn thiếu
col-to = Gửi tới
col-at = Lúc
col-kind = Loại
col-created = Tạo lúc
col-status = Tình trạng
col-sent = Gửi lúc
col-error = Lỗi
schedule-campaign = Công văn { $number } — hạn { $deadline }
weekday-short-mon = T2
weekday-short-tue = T3
weekday-short-wed = T4
weekday-short-thu = T5
weekday-short-fri = T6
weekday-short-sat = T7
weekday-short-sun = CN
slot-overdue = quá hạn lần { $n }
slot-before = trước hạn { $days } ngày
slot-moved = {" "}(dời từ { $from }, ngày nghỉ)
units-none = không đơn vị nào
units-some = { $count } đơn vị ({ $list })
units-some-cut = { $count } đơn vị ({ $list }, …)
slot-sent = đã gửi: { $units }
slot-would = sẽ nhắc (nếu vẫn thiếu): { $units }
schedule-extension = Gia hạn cho { $unit } đến { $deadline }: nhắc lúc { $slots }
schedule-digest = Bản tin cho cán bộ ({ $schedule }): { $next }
schedule-digest-off = Bản tin cho cán bộ: tắt ([digest] cron = "")
err-outbox-read = không đọc được hộp thư đi
kind-receipt = báo đã nhận
kind-reminder = nhắc nộp
kind-digest = bản tin cho cán bộ
kind-draft = dự thảo tổng hợp
kind-test = thư thử
kind-other = thư khác
status-queued = chờ gửi
status-sending = đang gửi
status-sent = đã gửi
status-written = đã ghi ra tệp (không gửi)
status-failed = gửi không được
status-uncertain = không rõ đã gửi chưa
status-cancelled = đã hủy

## Danh sách thư (messages)
by-sender-address = theo địa chỉ gửi
by-sender-alias = theo địa chỉ đã ghi nhớ khi cán bộ gán thư
by-forwarded-sender = theo người gửi thư gốc được chuyển tiếp
by-subject = theo tiêu đề
by-sender-name = theo tên người gửi
by-filename = theo tên tệp
by-body = theo nội dung thư
by-only-open-campaign = công văn duy nhất đang mở
by-staff = do cán bộ gán
by-document-issuer = theo tên cơ quan ban hành trên văn bản
by-document-signature = theo khối chữ ký trên văn bản
by-document = theo số công văn trong văn bản
messages-none = Chưa có thư nào.
messages-none-attention = Chưa có thư nào cần xem lại.
messages-more = Còn nữa — xem tiếp: baocao messages --after { $after }
messages-unit-how = { $unit } ({ $how })
messages-unit-unknown = CHƯA RÕ ĐƠN VỊ
messages-sender-unknown = (không rõ người gửi)
messages-subject = Tiêu đề: { $subject }
messages-campaign = Công văn: { $number } ({ $how })
messages-campaign-unknown = Công văn: chưa rõ
messages-error = LỖI: { $error }
messages-reading = Đang đọc tệp đính kèm…
messages-reading-slow = Đang chờ nhận dạng chữ (OCR) hoặc chuyển đổi tệp cũ…
messages-quarantined = ĐỂ RIÊNG: có tệp làm trình đọc dừng — cán bộ mở tệp bằng tay
messages-file = Tệp: { $path } [{ $kind }]
forward-inline = dán trong nội dung thư
forward-attached = đính kèm thư gốc
forward-time-original = thời điểm nhận tính theo thư gốc
forward-time-forward = thời điểm nhận tính theo lúc chuyển tiếp
messages-forwarded = Chuyển tiếp: cán bộ chuyển tiếp thư của đơn vị ({ $how }); { $time }
messages-note = Lưu ý: { $note }
messages-duplicate = Lưu ý: trùng Message-ID với một thư đã lưu; không tính là bài nộp mới
messages-export = Mở tệp: baocao export { $id }
err-config-see-sample = { $error } (mẫu có chú thích từng khóa: { $sample })

## Địa chỉ bị trả lại, dự thảo, bản tin, xuất tệp
addresses-none = Không có địa chỉ nào bị trả lại.
col-address = Địa chỉ
col-bounced-at = Bị trả lại lúc
col-reason = Lý do
addresses-hint = baocao không gửi thư tới các địa chỉ này. Sửa địa chỉ trong danh sách đơn vị (baocao units import TỆP.csv), rồi: baocao addresses ok ĐỊA-CHỈ
err-address-not-bad = { $address } không có trong danh sách địa chỉ bị trả lại; baocao addresses bad liệt kê danh sách này
addresses-cleared = Đã bỏ dấu hỏng của { $address }: thư sẽ lại được gửi tới địa chỉ này.
err-drafts-write = không ghi được dự thảo vào { $dir }
err-drafts-write-data = không ghi được dự thảo vào thư mục dữ liệu
drafts-title = Dự thảo tổng hợp Công văn { $number } — số liệu tính đến { $at }:
drafts-counts = { $reported }/{ $total } đơn vị đã gửi báo cáo; { $missing } đơn vị chưa gửi gì.
drafts-xlsx = Bảng tổng hợp (Excel): { $path }
drafts-docx = Dự thảo báo cáo (Word): { $path }
err-digest-no-smtp = { $config } không có mục [smtp] nên không gửi được bản tin; thêm cấu hình gửi thư, hoặc dùng baocao digest --dry-run để xem bản tin tại đây
err-digest-no-recipients = không có ai nhận bản tin; đặt recipients trong [digest] hoặc [staff] của { $config }
digest-sent = Bản tin gửi tới { $to }: đã gửi { $sent } thư, chờ gửi lại { $retry }, thất bại { $failed }.
err-digest-not-sent = có thể bản tin chưa được gửi: { $problem }; thư vẫn nằm trong hàng đợi (baocao outbox)
err-export-parse = thư { $id } không đọc được như một thư điện tử
err-create-dir = không tạo được thư mục { $dir }
err-write-file = không ghi được { $path }
export-none = Thư { $id } không có tệp đính kèm.

## Tình hình nộp (status)
status-mailbox-problem = CẢNH BÁO: đọc hộp thư bị lỗi từ { $at }: { $detail }
    baocao tự thử lại; thư chưa đọc được vẫn nằm trên máy chủ và sẽ được đọc khi hết lỗi.
status-title = Công văn { $number } — { $title }
status-as-of = Hạn nộp: { $deadline } · Tình hình tính đến: { $at }
cell-to-check = ? cần kiểm tra
cell-unreadable = ✗ tệp hỏng
cell-paper = giấy { $day }
cell-late = ✓ { $day } muộn
cell-on-time = ✓ { $day }
mark-late = ✓ muộn
mark-paper = ✓ giấy
mark-damaged = ✗ hỏng
state-complete-on-time = Đủ, đúng hạn
state-complete-late = Đủ, nộp muộn
state-partial = Còn thiếu
state-missing = Chưa gửi
status-totals = Tổng số { $total } đơn vị: { $on_time } đủ và đúng hạn, { $late } đủ nhưng nộp muộn, { $partial } còn thiếu, { $missing } chưa gửi.
status-to-review = Cần xem lại:
status-unidentified = Thư chưa rõ của đơn vị nào ({ $count }):
status-unidentified-mail = { $at } từ { $from } «{ $subject }» — Message-ID { $id }
status-assign-hint = Gán đơn vị: baocao assign MESSAGE-ID MA-DON-VI

## Nhập thư (ingest)
ingest-skipped-path = bỏ qua { $error }
err-ingest-nothing = không tìm thấy thư nào để nhập trong các đường dẫn đã cho (baocao đọc tệp .eml, hộp thư mbox và thư mục Maildir)
ingest-unreadable = không đọc được { $error }
err-ingest-skipped = bỏ qua { $count } đường dẫn không nhập được (kể tên ở trên); các thư khác đã được nhập
ingest-summary = Đã đọc { $seen } thư: lưu mới { $stored }, đã có từ trước { $duplicates }, không đọc được { $unreadable }.
ingest-quarantined = { $count } thư có tệp làm trình đọc tài liệu dừng (quá lớn, đọc quá lâu hoặc hỏng): các thư này vẫn được lưu và để riêng cho cán bộ xem.
ingest-see-attention = Xem các thư lỗi: baocao messages --attention

## Danh sách đơn vị (units)
units-imported = Đã nạp { $count } đơn vị từ { $file }.
units-learnt = { $alias } (đã học)
col-id = Mã
col-unit-name = Tên đơn vị
col-emails = Địa chỉ thư
col-aliases = Tên khác
col-alias = Tên / địa chỉ
col-from-mail = Từ thư
units-learnt-hint = (đã học): ghi nhớ khi cán bộ gán thư bằng baocao assign; bỏ bằng baocao units alias remove TÊN-HOẶC-ĐỊA-CHỈ [--unit MÃ].
aliases-none = Chưa ghi nhớ tên hay địa chỉ nào từ việc cán bộ gán thư.
alias-address = địa chỉ
alias-name = tên
alias-removed-address = thư từ { $value }
alias-removed-name = tên "{ $value }"
alias-removed = Đã bỏ: { $what } không còn được nhận là của đơn vị { $unit }.
err-alias-unknown = chưa ghi nhớ tên hay địa chỉ "{ $value }"; baocao units alias list liệt kê những gì đã ghi nhớ
err-alias-unknown-for = chưa ghi nhớ tên hay địa chỉ "{ $value }" cho đơn vị { $unit }; baocao units alias list liệt kê những gì đã ghi nhớ

## Cán bộ sửa (assign, mark)
err-no-message = không có thư "{ $message }" (ghi Message-ID, số thứ tự trong ngoặc vuông của baocao messages, hoặc đầu mã băm)
err-assign-no-unit = thư chưa có đơn vị; hãy ghi mã đơn vị thay cho "-"
err-no-unit = không có đơn vị mã "{ $unit }"; baocao units list cho xem các mã
err-no-item = công văn { $campaign } không có mục "{ $item }" (các mục: { $known })
err-no-file = thư không có tệp "{ $file }"; baocao messages liệt kê các tệp
assign-done = Đã gán thư { $id } cho { $unit } (công văn { $number }).
learn-address-owned = Không ghi nhớ địa chỉ { $address }: đó là địa chỉ đăng ký của { $owner }; sửa danh sách đơn vị nếu địa chỉ đã đổi chủ.
learn-address = Đã ghi nhớ: thư từ { $address } từ nay được nhận là của { $unit } (bỏ bằng baocao units alias remove).
learn-address-moved = Đã ghi nhớ: thư từ { $address } từ nay được nhận là của { $unit }, không còn là của { $from } (bỏ bằng baocao units alias remove).
learn-name = Đã ghi nhớ tên người gửi "{ $name }" là tên khác của { $unit } (bỏ bằng baocao units alias remove).
learn-name-moved = Đã ghi nhớ tên người gửi "{ $name }" là tên khác của { $unit }, không còn là của { $from } (bỏ bằng baocao units alias remove).
mark-done = Đã ghi nhận { $unit } nộp { $item } (bản giấy) lúc { $at }.

## Đọc hộp thư, chạy thường trực (poll, run)
err-run-nothing = { $config } không có [mailbox] lẫn [smtp]; baocao run cần hộp thư văn phòng, máy chủ gửi thư, hoặc cả hai
log-stop-requested = có lệnh dừng; làm xong vòng đang chạy rồi dừng
run-polled = Hộp thư: tải { $fetched } thư, lưu mới { $stored }, đã có { $duplicates }.
run-tick = Biên nhận: { $receipts } · Thư nhắc: { $reminders } · Bản tin: { $digests }
run-draft-rebuilt = Dự thảo tổng hợp { $campaign } đã được lập lại: { $reason }.
run-held-back = Không nhắc { $unit }: { $why }
run-no-smtp = Chưa cấu hình [smtp]: thư nằm trong hàng đợi.
err-poll-no-mailbox = { $config } không có mục [mailbox]; thêm cấu hình IMAP của hộp thư văn phòng (xem ví dụ có chú thích trong tệp mẫu)
poll-progress = Đang tải thư
poll-progress-left = còn
err-poll = đọc hộp thư { $user } ở { $host }:{ $port } không được
poll-summary = Hộp thư { $user }: tải { $fetched } thư, lưu mới { $stored }, đã có từ trước { $duplicates }.
poll-reread = Đã đọc lại được { $count } thư trước đây gặp lỗi nội bộ khi đọc.
poll-reconciled = Lượt đọc toàn bộ: { $count } thư cũ chưa được gắn nhãn đã được đọc lại và gắn nhãn.
poll-uidvalidity = Lưu ý: thư mục "{ $folder }" đã bị tạo lại trên máy chủ (UIDVALIDITY đổi); đã đọc lại toàn bộ, không lưu trùng.

## Số liệu, biểu mẫu (figures, forms)
figures-none-configured = Công văn { $number } không khai báo số liệu cần đọc ([[figures]] trong tệp công văn).
col-year = Năm
col-measure = Đối tượng
col-rated = Được đánh giá
figures-unreadable = (không đọc được số liệu)
figures-no-reports = Chưa có báo cáo nào để đọc số liệu (công văn { $number }).
figures-breaches = Vi phạm quy định:
figures-to-check = Cần kiểm tra:
figures-sources = Nguồn của từng số (câu hoặc ô bảng): baocao figures --campaign { $campaign } --json
err-forms-message = thư [{ $row }] ({ $id })
forms-cells = { $count } ô có nội dung
forms-marks = { $yes } phù hợp, { $no } chưa phù hợp, { $proposals } đề nghị
forms-none = Chưa đọc được biểu mẫu nào cho công văn { $number }.
col-form = Biểu
col-content = Nội dung
col-problems = Lỗi
col-file = Tệp
forms-detail-hint = Chi tiết từng dòng: baocao forms --campaign { $campaign } --unit MA-DON-VI --json

## Chạy thử (demo)
demo-intro = baocao demo — hộp thư mẫu: { $count } thư của các đơn vị trả lời Công văn { $number }.
demo-stored = Đã lưu { $count } thư vào { $dir } (bản gốc trong archive/; lấy tệp đính kèm ra bằng baocao export).
demo-outbox = Thư tự động (không gửi đi, lưu thành tệp .eml trong { $dir }): { $receipts } biên nhận, { $reminders } thư nhắc, { $digests } bản tin cho cán bộ; { $files } tệp.
demo-drafts = Dự thảo tổng hợp cho Ban Tổ chức (hạn gửi đã qua):
    {"  "}{ $xlsx }
    {"  "}{ $docx }
demo-try = Thử tiếp:
demo-try-messages = baocao --config { $cfg } messages            # từng thư: đơn vị, công văn, tệp, cách nhận diện
demo-try-attention = baocao --config { $cfg } messages --attention  # chỉ các thư cần cán bộ xem lại
demo-try-status = baocao --config { $cfg } --now { $now } status --json
demo-try-assign = baocao --config { $cfg } assign '{ $id }' loc-ngai   # gán thư chưa rõ đơn vị
demo-try-mark = baocao --config { $cfg } mark loc-an bieu1 --note "nộp bản giấy"   # ghi nhận nộp bản giấy
demo-try-remind = baocao --config { $cfg } remind --dry-run      # ai còn thiếu gì, thư nhắc sẽ gửi cho ai
demo-try-digest = baocao --config { $cfg } digest --dry-run      # bản tin tình hình gửi cán bộ
demo-try-consolidate = baocao --config { $cfg } consolidate --out du-thao   # bảng Excel và dự thảo báo cáo Word
demo-try-ingest = baocao ingest THƯ-MỤC-THƯ                  # nhập thư thật: .eml, Maildir hoặc mbox
err-demo-config = không ghi được cấu hình chạy thử vào { $dir }
err-demo-not-ours = { $dir } đã có và không phải thư mục chạy thử của baocao; chọn thư mục khác bằng --data THƯ-MỤC
err-demo-clear = không xóa được thư mục chạy thử cũ { $dir }
demo-marker = thư mục chạy thử của baocao; lệnh baocao demo có thể xóa nó

## Kiểm tra cấu hình, thư thử (check-config, send-test)
check-yes = có
check-no = KHÔNG
check-config = Cấu hình: { $file } — hợp lệ
check-data-dir = Thư mục dữ liệu: { $dir }
check-campaign = Công văn { $number } ({ $id }): hạn { $deadline }
check-units = Đơn vị trong danh sách: { $count }
check-pdf = Đọc chữ trong PDF (pdftotext): { $ok }
check-ocr = Nhận dạng chữ trên bản scan (OCR, tesseract tiếng Việt): { $ok }
check-ocr-missing = {" "}— bản scan sẽ được đánh dấu để cán bộ xem (cài: apt-get install tesseract-ocr tesseract-ocr-vie)
check-doc = Đọc tệp Word 97 .doc (LibreOffice): { $ok }
check-doc-missing = {" "}— tệp .doc sẽ được giữ lại và đánh dấu "mở bằng tay" (cài: apt-get install libreoffice-writer-nogui)
check-imap-none = Hộp thư (IMAP): chưa cấu hình [mailbox]
check-imap-ok = Hộp thư (IMAP): kết nối và đăng nhập được — { $detail }
check-imap-failed = Hộp thư (IMAP): LỖI — { $error }
check-imap-detail = { $user }@{ $host }:{ $port } ({ $folders } thư mục)
check-smtp-none = Gửi thư (SMTP): chưa cấu hình [smtp]
check-smtp-ok = Gửi thư (SMTP): kết nối và đăng nhập được — { $detail }
check-smtp-ok-no-login = Gửi thư (SMTP): kết nối được (không đăng nhập) — { $detail }
check-smtp-failed = Gửi thư (SMTP): LỖI — { $error }
check-templates-ok = Mẫu thư ({ $dir }): dùng được
check-templates-count = { $count } mẫu thư dựng được
check-templates-failed = Mẫu thư: LỖI — { $error }
err-check-template = một mẫu thư bị sai: { $error }
err-check-imap = kiểm tra hộp thư (IMAP) không đạt: { $error }
err-check-smtp = kiểm tra máy chủ gửi thư (SMTP) không đạt: { $error }
err-send-no-smtp = { $config } không có mục [smtp]; thêm cấu hình gửi thư (xem ví dụ có chú thích trong tệp mẫu)
send-already-queued = Thư thử với khóa { $key } đã có trong hàng đợi trước đó; không gửi lại.
send-summary = Đã gửi { $sent } thư, chờ gửi lại { $retry }, thất bại { $failed }.
err-send-test-failed = thư thử chưa được gửi: { $problem }
err-send-other-failed = một thư trong hộp thư đi chưa được gửi: { $problem }

## Lỗi đọc tệp và thư (chữ của thư viện chỉ đi sau, là chi tiết kỹ thuật)
fault-detail = { $text } (chi tiết kỹ thuật: { $detail })
fault-zip-broken = tệp nén zip bị hỏng, không mở được; đề nghị đơn vị gửi lại
fault-zip-cut = tệp nén zip bị hỏng, không mở được; có thể tệp bị cắt khi gửi — đề nghị đơn vị gửi lại
fault-office-cut = tệp Office bị hỏng, không mở được; có thể tệp bị cắt khi gửi — đề nghị đơn vị gửi lại
fault-zip-entry = mục { $index } của tệp nén không đọc được
fault-unzip = { $name }: không giải nén được
fault-word-broken = tệp Word bị hỏng, không mở được
fault-word-structure = cấu trúc tệp Word bị hỏng; phần chữ sau chỗ hỏng không đọc được
fault-office-broken = tệp bị hỏng, không mở được
fault-sheet-broken = không mở được bảng tính
fault-sheet-unreadable = không đọc được trang tính "{ $name }"
fault-pdf-structure = cấu trúc tệp PDF bị lỗi; chữ vẫn đọc được
fault-pdf-temp = không ghi được tệp tạm để đọc PDF
fault-pdf-text = không đọc được chữ trong PDF
fault-convert = LibreOffice không chuyển đổi được tệp
fault-ocr = ảnh chụp văn bản — cán bộ cần xem (nhận dạng chữ OCR bị lỗi)
fault-scan-ocr = bản scan — cán bộ cần xem (nhận dạng chữ OCR bị lỗi)
fault-reader-send = không gửi được tệp cho trình đọc
fault-maildir-open = không mở được thư mục Maildir
fault-mail-read = không đọc được một thư
fault-mbox-mail-read = không đọc được thư thứ { $number }
fault-read = lỗi đọc

## Hộp thư (IMAP)
imap-connect = không kết nối được tới { $host }:{ $port }; kiểm tra host, port và mạng
imap-tls = không bắt tay TLS được với { $host }; kiểm tra tên máy chủ có khớp với chứng chỉ, hoặc đặt ca-file
imap-login = máy chủ thư từ chối đăng nhập của { $user }; kiểm tra username và mật khẩu trong [mailbox]
imap-folder = không mở được thư mục "{ $folder }"; kiểm tra folders trong [mailbox]
imap-timeout = máy chủ thư không trả lời trong { $seconds } giây khi { $step }
imap-protocol = lỗi IMAP khi { $step }
imap-step-connecting = kết nối
imap-step-greeting = đọc lời chào của máy chủ
imap-step-starttls = bắt đầu TLS
imap-step-login = đăng nhập
imap-step-folder = mở thư mục
imap-step-search-unflagged = tìm thư chưa gắn nhãn
imap-step-search-new = tìm thư mới
imap-step-fetch = tải thư
imap-step-flag = gắn nhãn thư đã lưu
imap-step-move = chuyển thư đã lưu
imap-step-idle = bắt đầu chờ thư mới (IDLE)

## Máy chủ gửi thư (SMTP)
smtp-no-user = (không có tên)
smtp-login-later = máy chủ gửi thư { $at } tạm thời không kiểm tra được đăng nhập ({ $reply }); sẽ thử lại
smtp-login-refused = máy chủ gửi thư { $at } từ chối đăng nhập của { $user } — sai tên đăng nhập hoặc mật khẩu ({ $reply }); kiểm tra username và mật khẩu (password-env / password-file) trong [smtp]
smtp-login-needed = máy chủ gửi thư { $at } đòi đăng nhập ({ $reply }); thêm username và password-env vào [smtp]
smtp-rejected = máy chủ gửi thư { $at } từ chối thư này ({ $reply })
smtp-certificate = không xác minh được chứng chỉ TLS của { $host } ({ $reply }); host phải đúng tên ghi trong chứng chỉ của máy chủ, hoặc đặt ca-file
smtp-tls = không bắt tay TLS được với { $at } ({ $reply }); kiểm tra security: cổng 465 dùng "tls", cổng 587 dùng "starttls"
smtp-refused = không kết nối được tới { $at }: máy chủ từ chối kết nối (không có dịch vụ ở cổng này); kiểm tra host và port
smtp-unreachable = không kết nối được tới { $at } ({ $reply }); kiểm tra host, port và mạng
smtp-no-starttls = máy chủ gửi thư { $at } không có STARTTLS ({ $reply }); kiểm tra port và security (cổng 465 dùng "tls")
smtp-no-auth = máy chủ gửi thư { $at } không cho đăng nhập trên kết nối này ({ $reply }); thường cần security = "starttls" hoặc "tls"
smtp-busy = máy chủ gửi thư { $at } tạm thời không nhận thư ({ $reply }); sẽ thử lại
smtp-other = gửi thư qua { $at } không được
smtp-no-noop = máy chủ gửi thư { $at } nhận kết nối nhưng không trả lời lệnh NOOP
smtp-timeout = máy chủ gửi thư { $at } không trả lời trong { $seconds } giây; kiểm tra mạng, tường lửa, port và security (cổng 465 dùng "tls", cổng 587 dùng "starttls")
smtp-no-answer = không có trả lời trong { $seconds } giây
smtp-ca-file = không đọc được ca-file { $path }: { $error }
tls-bad-certificate = chứng chỉ hỏng trong { $path }: { $error }
smtp-bad-from = địa chỉ gửi { $address }: { $error }
smtp-bad-to = địa chỉ nhận { $address }: { $error }
smtp-bad-content-type = kiểu nội dung { $value }: { $error }

## Mẫu thư (templates)
err-template = mẫu thư { $file }: { $detail }
err-template-line = dòng { $line }
err-template-wrong = mẫu thư viết sai
err-template-read = không đọc được tệp
err-template-subject = dòng đầu phải là tiêu đề thư, viết "Subject: …"
err-compose = không soạn được thư (địa chỉ hoặc dòng tiêu đề không hợp lệ)
err-transport = không thiết lập được việc gửi thư qua { $host }; kiểm tra mục [smtp]

## Trang quản lý và tài khoản (web, users)
web-running = Trang quản lý đang chạy: mở { $url } trong trình duyệt (Ctrl-C để dừng).
web-no-accounts = Chưa có tài khoản nào: tạo bằng  BAOCAO_PASSWORD=... baocao users add TEN --role sua
users-err-stdin = không đọc được mật khẩu từ đầu vào chuẩn
users-err-short = mật khẩu phải có ít nhất { $min } ký tự; đặt trong biến BAOCAO_PASSWORD hoặc gõ vào đầu vào chuẩn
users-err-name = tên đăng nhập "{ $name }" không hợp lệ: chỉ dùng chữ, số và . - _ @
users-err-role = vai trò "{ $role }": chọn xem hoặc sua
users-err-exists = đã có tài khoản { $name }; đổi mật khẩu bằng baocao users passwd { $name }
users-err-none = không có tài khoản { $name }
users-err-hash = không mã hóa được mật khẩu: { $detail }
users-audit-add = Tạo tài khoản
users-audit-passwd = Đổi mật khẩu
users-audit-remove = Xóa tài khoản
users-added = Đã tạo tài khoản { $name } ({ $edit ->
        [true] được xem và sửa
       *[other] chỉ được xem
    }).
users-passwd-done = Đã đổi mật khẩu của { $name }; các phiên đăng nhập cũ đã kết thúc.
users-removed = Đã xóa tài khoản { $name }.
users-none = Chưa có tài khoản nào. Tạo bằng: baocao users add TEN --role sua

## Lỗi cấu hình: vấn đề và cách sửa (config)
cfg-campaign-id = mã công văn "{ $id }" không dùng được trên dòng lệnh
cfg-campaign-id-fix = dùng chữ ASCII, số và dấu -, ví dụ id = "809-CV-HU"
cfg-issued = `issued` phải là một ngày
cfg-issued-fix = viết ví dụ issued = 2023-01-12
cfg-deadline = `deadline` không phải ngày hay ngày giờ
cfg-deadline-fix = viết ví dụ deadline = 2023-01-30 (hết ngày đó) hoặc 2023-01-30T17:00:00+07:00
cfg-consolidation-deadline = `consolidation-deadline` không phải ngày hay ngày giờ
cfg-consolidation-deadline-fix = viết ví dụ consolidation-deadline = 2023-02-01
cfg-consolidation-before = hạn tổng hợp sớm hơn hạn nộp của các đơn vị
cfg-consolidation-before-fix = đặt consolidation-deadline bằng hoặc sau deadline
cfg-units-item = `units` có mục không phải loại đơn vị
cfg-units-item-fix = viết units = "all" hoặc units = ["dang_bo_co_so", "chi_bo_co_so"]
cfg-units = `units` phải là "all" hoặc danh sách loại đơn vị
cfg-units-fix = viết units = "all" hoặc units = ["dang_bo_co_so"]
cfg-keywords = công văn không có từ khóa nào nên không nhận ra được thư nào trả lời nó
cfg-keywords-fix = ghi số công văn và các văn bản nó dẫn, ví dụ keywords = ["809-CV/HU", "Quy định 132"]
cfg-items = công văn không yêu cầu tài liệu nào
cfg-items-fix = thêm ít nhất một bảng [[items]] có id, name và keywords
cfg-item-twice = mã tài liệu "{ $id }" dùng hai lần
cfg-item-twice-fix = mỗi [[items]] một mã riêng
cfg-item-id = mã tài liệu "{ $id }" không dùng được trên dòng lệnh
cfg-item-id-fix = dùng chữ ASCII và số, ví dụ id = "bieu1"
cfg-item-kind = tài liệu "{ $id }" có loại lạ "{ $kind }"
cfg-item-kind-fix = dùng kind = "report", "form" hoặc "other"
cfg-reminder-at = giờ nhắc "{ $value }" không đúng dạng HH:MM
cfg-reminder-at-fix = viết ví dụ at = "08:00"
cfg-working-time = "{ $value }" không phải giờ dạng HH:MM
cfg-working-hours-fix = viết ví dụ working-hours = ["07:30", "17:00"]
cfg-working-hours = working-hours cần giờ bắt đầu và giờ kết thúc
cfg-reminder-outside = giờ nhắc { $at } nằm ngoài giờ làm việc { $from }–{ $to }
cfg-reminder-outside-fix = đặt `at` trong working-hours, và giờ bắt đầu trước giờ kết thúc
cfg-extension = hạn gia hạn cho "{ $unit }" không phải ngày hay ngày giờ
cfg-extension-fix = viết ví dụ loc-an = 2023-02-03 (hết ngày đó)
cfg-form-item = biểu mẫu cho tài liệu "{ $item }", mà công văn không yêu cầu
cfg-form-item-fix = đặt item là một trong các mã của [[items]]
cfg-form-checklist = biểu đánh giá "{ $item }" cần yes-header, no-header và các nhóm có dòng
cfg-form-checklist-fix = xem ví dụ Biểu số 2 trong config/campaigns/809-CV-HU.toml
cfg-form-grid = biểu bảng "{ $item }" cần columns và rows
cfg-form-grid-fix = xem ví dụ Biểu số 1 trong config/campaigns/809-CV-HU.toml
cfg-form-date-sub-row = date-sub-row "{ $value }" không có trong sub-rows
cfg-form-date-sub-row-fix = chép đúng nhãn từ sub-rows
cfg-form-kind = loại biểu mẫu lạ "{ $kind }"
cfg-form-kind-fix = dùng kind = "checklist" hoặc "grid"
cfg-fig-year = { $year } trong years của [figure-reading] không phải là năm
cfg-fig-year-fix = viết ví dụ years = [2018, 2019, 2020, 2021, 2022]
cfg-fig-level-id = mã mức "{ $id }" không dùng được trong quy tắc và JSON
cfg-fig-level-id-fix = dùng chữ ASCII, số và dấu -, ví dụ id = "htxs"
cfg-fig-level-twice = mã mức "{ $id }" dùng hai lần
cfg-fig-level-twice-fix = mỗi [[figure-levels]] một mã riêng
cfg-fig-figure-id = mã số liệu "{ $id }" không dùng được trong quy tắc và JSON
cfg-fig-figure-id-fix = dùng chữ ASCII, số và dấu -, ví dụ id = "dang-vien"
cfg-fig-figure-twice = mã số liệu "{ $id }" dùng hai lần
cfg-fig-figure-twice-fix = mỗi [[figures]] một mã riêng
cfg-fig-no-levels = có khai báo số liệu nhưng không có [[figure-levels]] để chia theo mức
cfg-fig-no-levels-fix = thêm các mục [[figure-levels]] (id, name, words) trước [[figures]]
cfg-rule-twice = mã quy tắc "{ $id }" dùng hai lần
cfg-rule-twice-fix = mỗi [[rules]] một mã riêng
cfg-rule-level = quy tắc "{ $id }" nhắc tới mức "{ $level }", không có trong [[figure-levels]]
cfg-rule-level-fix = dùng mã của một mục [[figure-levels]]
cfg-rule-no-figure = quy tắc "{ $id }" không áp dụng cho số liệu nào
cfg-rule-no-figure-fix = ghi các mã số liệu nó áp dụng, ví dụ figures = ["dang-vien"]
cfg-rule-figure = quy tắc "{ $id }" nhắc tới số liệu "{ $figure }", không có trong [[figures]]
cfg-rule-figure-fix = dùng mã của một mục [[figures]]
cfg-rule-percent = quy tắc "{ $id }": at-most-percent = { $value } không phải tỉ lệ phần trăm
cfg-rule-percent-fix = viết số phần trăm lớn hơn 0 và không quá 100, ví dụ at-most-percent = 20
cfg-security = security lạ "{ $value }"
cfg-security-fix = dùng "tls", "starttls" hoặc "plain"
cfg-security-plain = security = "plain" sẽ gửi { $what } tới { $host } mà không mã hóa
cfg-security-plain-fix = dùng "tls" hoặc "starttls"; plain chỉ dành cho máy chủ chạy trên chính máy này
cfg-what-password = mật khẩu
cfg-what-mail = thư
cfg-mailbox-password = [mailbox] cần đúng một trong hai khóa password-env và password-file
cfg-mailbox-password-fix = viết password-env = "BAOCAO_IMAP_PASSWORD" (không bao giờ ghi chính mật khẩu)
cfg-keyword = "{ $value }" không phải từ khóa IMAP hợp lệ
cfg-keyword-fix = dùng chữ ASCII, ví dụ keyword = "$BaoCao"
cfg-move-to = move-to = "{ $folder }" cũng là một thư mục được đọc
cfg-move-to-fix = chuyển thư đã lưu sang thư mục không có trong folders, hoặc bỏ move-to
cfg-from = from = "{ $value }" không phải địa chỉ thư
cfg-from-fix = viết ví dụ from = "Văn phòng Huyện ủy <vanphong@example.vn>"
cfg-smtp-login = đăng nhập cần username và đúng một trong hai khóa password-env và password-file
cfg-smtp-login-fix = viết username và password-env = "BAOCAO_SMTP_PASSWORD", hoặc bỏ cả hai
cfg-cron-fields = "{ $value }" cần 5 trường: phút giờ ngày-trong-tháng tháng thứ-trong-tuần
cfg-cron = "{ $value }" không phải biểu thức cron
cfg-campaigns-dir = không đọc được thư mục công văn { $dir }
cfg-campaigns-dir-fix = tạo thư mục đó hoặc trỏ campaigns-dir tới thư mục chứa các tệp .toml của công văn
cfg-timezone = múi giờ lạ "{ $value }"
cfg-timezone-fix = dùng tên IANA, ví dụ "Asia/Ho_Chi_Minh"
cfg-holiday = ngày nghỉ { $value } không phải là ngày
cfg-holiday-fix = viết ngày dạng 2023-01-23
cfg-campaign-twice = mã công văn "{ $id }" đã dùng ở tệp khác ({ $number })
cfg-campaign-twice-fix = mỗi tệp công văn một mã riêng
cfg-cron-fix = viết ví dụ cron = "30 7 * * 1-5" (7 giờ 30, thứ Hai đến thứ Sáu), hoặc "" để không gửi bản tin
cfg-listen = listen "{ $value }" trong [web] không phải địa chỉ và cổng
cfg-listen-fix = viết ví dụ listen = "127.0.0.1:8080"
cfg-tls = [web] cần cả tls-cert và tls-key, hoặc không có cả hai
cfg-tls-fix = ghi chuỗi chứng chỉ PEM và khóa riêng của nó
cfg-toml-unknown = không có khóa `{ $key }`
cfg-toml-unknown-fix = bỏ hoặc sửa lại khóa này; mẫu có chú thích config/baocao.toml liệt kê mọi khóa
cfg-toml-missing = thiếu khóa `{ $key }`
cfg-toml-missing-fix = thêm khóa bắt buộc này (xem mẫu có chú thích trong config/)
cfg-toml = viết sai cú pháp TOML
cfg-toml-fix = sửa cú pháp TOML ở dòng này
cfg-csv-header = không đọc được dòng tiêu đề
cfg-csv-header-fix = lưu tệp dạng CSV UTF-8
cfg-csv-column = dòng tiêu đề không có cột "{ $column }" (có: { $found })
cfg-csv-column-fix = dòng đầu phải là id,name,short_name,emails,kind (aliases có thể thêm)
cfg-csv-row = không đọc được dòng này
cfg-csv-row-fix = kiểm tra dấu ngoặc kép và tệp có đúng UTF-8 không
cfg-csv-columns = dòng này có { $found } cột, cần ít nhất { $needed } (id,name,short_name,emails,kind)
cfg-csv-columns-fix = sửa dòng trong Excel rồi lưu lại dạng CSV UTF-8; nhiều địa chỉ thư cách nhau bằng dấu ;
cfg-unit-id = mã đơn vị "{ $id }" trống hoặc có chữ ngoài ASCII
cfg-unit-id-fix = dùng chữ ASCII, số và dấu -, ví dụ loc-thanh
cfg-unit-twice = mã đơn vị "{ $id }" có hai lần
cfg-unit-twice-fix = mỗi đơn vị một mã riêng
cfg-unit-name = đơn vị { $id } không có tên
cfg-unit-name-fix = điền cột name
cfg-unit-email = đơn vị { $id }: "{ $value }" không phải địa chỉ thư
cfg-unit-email-fix = các địa chỉ cách nhau bằng dấu ;, ví dụ a@gmail.com;b@lamdong.gov.vn
cfg-units-none = tệp không có đơn vị nào
cfg-units-none-fix = thêm mỗi đơn vị một dòng dưới dòng tiêu đề

## Vấn đề khi đọc thư và tệp: giới hạn, tệp hỏng, công cụ (lưu theo ngôn ngữ của tiến trình đã đọc)
prob-sheet-declared = trang tính "{ $sheet }" khai báo { $rows } dòng × { $cols } cột, quá giới hạn đọc; không đọc bảng tính này — cần mở bằng tay
prob-shared-strings = bảng tính khai báo { $count } chuỗi chữ dùng chung, quá giới hạn đọc hoặc không khớp với nội dung; không đọc — cần mở bằng tay
prob-unpacked-mb = giải nén ra { $size } MB, quá giới hạn { $limit } MB (nghi là bom zip); không đọc
prob-sheet-cells = trang tính "{ $sheet }" có hơn { $count } ô có dữ liệu, quá giới hạn đọc; chỉ đọc phần đầu
prob-sheet-size = trang tính "{ $sheet }" có { $rows } × { $cols } ô, quá giới hạn đọc; chỉ đọc { $kept } dòng đầu
prob-sheet-merges = trang tính "{ $sheet }" có quá nhiều vùng ô gộp; phần còn lại không được trải ra
prob-word-no-body = tệp Word không có phần nội dung đọc được
prob-word-not-utf8 = nội dung tệp Word không hợp lệ (không phải UTF-8): tệp bị hỏng
prob-word-cells = các bảng trong tệp có hơn { $count } ô, quá giới hạn đọc; chỉ đọc các dòng đầu
prob-word-copies = các ô gộp hoặc bảng lồng nhau trong tệp lặp lại quá nhiều chữ; phần lặp lại không được chép vào từng ô — cần đối chiếu với tệp gốc
prob-pdf-broken = tệp PDF bị hỏng, không đọc được; đề nghị đơn vị gửi lại
prob-pdf-pages = { $pages } trang; chỉ đọc { $kept } trang đầu
prob-pdf-no-poppler = đọc chữ trong PDF cần poppler-utils (pdftotext) mà máy chưa cài
prob-scan-ocr = bản scan — chữ được nhận dạng bằng OCR, cán bộ cần đối chiếu
prob-scan-no-ocr = bản scan — cán bộ cần xem (không có lớp chữ; máy chưa cài OCR)
prob-tool-timeout = { $tool } chạy quá { $seconds } giây nên đã bị dừng
prob-old-format = định dạng cũ (Word 97 .doc hoặc tương tự) mà máy chưa cài LibreOffice — cần mở tệp bằng tay
prob-photo-no-ocr = ảnh chụp văn bản — cán bộ cần xem (máy chưa cài nhận dạng chữ OCR)
prob-photo-ocr = ảnh chụp văn bản — chữ được nhận dạng bằng OCR, cán bộ cần đối chiếu
prob-file-mb = tệp nặng { $size } MB, quá giới hạn đọc { $limit } MB; cần mở bằng tay
prob-not-mail = không phải thư điện tử ({ $why })
prob-mail-too-large = thư nặng { $size } byte, quá giới hạn { $limit } byte; cần mở bằng tay
prob-parser-failed = trình đọc thư bị lỗi nội bộ với thư này (cấu trúc MIME hỏng); thư vẫn được giữ — cần mở bằng tay
prob-empty = tệp rỗng
prob-no-header-read = không đọc được dòng tiêu đề nào
prob-no-header = không thấy dòng tiêu đề thư nào
prob-in-forwarded = trong thư chuyển tiếp: { $problem }
prob-subject-undecodable = tiêu đề có ký tự không giải mã được
prob-bad-date = dòng Date của thư không phải ngày hợp lệ
prob-too-many-parts = thư có { $count } tệp đính kèm, quá giới hạn { $limit }; chỉ đọc { $limit } tệp đầu
prob-and-more = {" "}và { $count } mục khác
prob-zip-unsafe = tệp nén có tên mục không an toàn (đường dẫn trỏ ra ngoài, đường dẫn tuyệt đối hoặc ký tự điều khiển): { $names }
prob-zip-duplicates = tệp nén có mục trùng tên (bản sau có thể che bản trước): { $names }
prob-zip-depth = tệp zip lồng nhau quá { $limit } tầng; không mở — cần mở bằng tay
prob-zip-entries = tệp zip có { $count } mục, quá giới hạn { $limit }; không mở — cần mở bằng tay
prob-zip-ratio = { $name }: tỷ lệ nén { $ratio }:1 vượt { $limit }:1 (nghi là bom zip); không giải nén
prob-zip-budget = { $name }: giải nén ra { $size } byte, vượt giới hạn còn lại { $budget } byte; không giải nén
prob-zip-over = { $name }: giải nén vượt giới hạn; không giải nén
prob-empty-file = tệp rỗng (0 byte)
prob-not-pdf = tệp mang đuôi .pdf nhưng không có phần đầu của tệp PDF; có thể tệp bị hỏng — đề nghị đơn vị gửi lại
prob-plain-zip = tệp mang đuôi .{ $ext } nhưng không chứa các phần của tệp .{ $ext }; đây là một tệp nén zip thường
prob-bounce-no-reason = không gửi được (máy chủ không nói lý do)
prob-reading-now = đang đọc tệp đính kèm của thư này
prob-xls-loop = tệp .xls bị hỏng (cấu trúc bên trong quay vòng, không có điểm kết thúc); không đọc — đề nghị đơn vị gửi lại
prob-xls-outside = tệp .xls bị hỏng (cấu trúc bên trong trỏ ra ngoài tệp, có thể tệp bị cắt khi gửi); không đọc — đề nghị đơn vị gửi lại
prob-pdf-inflated = tệp PDF có dữ liệu nén giải ra hơn { $limit } MB (đã đếm { $seen } MB, nghi là bom nén); không đọc chữ — cần mở bằng tay
prob-sheet-reader-failed = bảng tính bị hỏng, trình đọc bảng tính không đọc được; cần mở bằng tay — đề nghị đơn vị gửi lại
prob-sheet-sparse = trang tính "{ $sheet }" trải trên { $rows } dòng × { $cols } cột nhưng chỉ có { $cells } ô có dữ liệu; các dòng, cột trống ở giữa đã được bỏ — cần đối chiếu với tệp gốc
prob-disguised-program = tệp "{ $name }" mang tên tài liệu nhưng thực chất là chương trình chạy được (có thể là mã độc); không mở — không được mở tệp này trên máy tính
prob-program = tệp "{ $name }" là chương trình chạy được, không phải tài liệu; không mở — không được mở tệp này trên máy tính
prob-not-office = tệp mang đuôi .{ $ext } nhưng không phải tệp .{ $ext } hợp lệ (không có dấu hiệu tệp nén); có thể tệp bị hỏng — đề nghị đơn vị gửi lại
prob-subject-cut = tiêu đề dài { $chars } ký tự, đã bị cắt bớt khi lưu: chỉ giữ { $kept } ký tự đầu
prob-name-cut = tên người gửi quá dài, đã bị cắt bớt khi lưu: chỉ giữ { $kept } ký tự đầu
prob-address-cut = địa chỉ người gửi dài hơn { $limit } ký tự, không phải địa chỉ hợp lệ; đã bị cắt bớt khi lưu (bỏ đi)
prob-header-kb = phần đầu thư nặng { $size } KB, quá giới hạn { $limit } KB; các dòng quá dài đã bị cắt bớt khi lưu
prob-mime-depth = thư có các phần MIME lồng nhau { $depth } tầng, quá giới hạn { $limit }; cần xem thư bằng tay để chắc không sót tệp
prob-charsets = thư dùng bảng mã không được hỗ trợ ({ $charsets }); chữ có thể bị sai — cần xem thư gốc
prob-forward-depth = thư chuyển tiếp lồng nhau quá { $limit } tầng; các tầng sâu hơn không được mở
prob-name-undecodable = tên tệp đính kèm "{ $name }" có ký tự không giải mã được
prob-forward-kept = thư chuyển tiếp lồng nhau quá { $limit } tầng; các tầng sâu hơn không được mở (giữ nguyên dạng tệp "{ $name }")
prob-stored-reading = { $file }: kết quả đọc tệp đã lưu không đọc lại được, cần đọc lại thư
mail-item-short = Biểu { $number }
prob-tool-not-started = không chạy được { $tool }
prob-no-output = { $tool } không tạo ra tệp nào
prob-temp-dir = không tạo được thư mục tạm
prob-temp-write = không ghi được tệp tạm
cfg-secret-env = chưa đặt biến môi trường { $name } (password-env)
cfg-secret-read = không đọc được password-file { $file }
cfg-secret-mode = người dùng khác đọc được password-file { $file }; chạy chmod 600 cho tệp này
mail-err-no-recipients = bản tin không có người nhận (hoặc mọi địa chỉ đều bị trả lại; xem baocao addresses bad): đặt recipients trong [digest] hoặc [staff] của tệp cấu hình
prob-reader-memory = tệp quá lớn: đọc tệp này cần nhiều bộ nhớ hơn giới hạn cho phép — cần mở bằng tay
prob-reader-time = đọc quá lâu: tệp này đọc chưa xong trong thời gian cho phép — cần mở bằng tay
prob-reader-crash = làm hỏng trình đọc: tệp này làm trình đọc tài liệu dừng đột ngột — cần mở bằng tay
prob-internal = lỗi nội bộ khi đọc thư này ({ $what }); thư vẫn được lưu — xin báo cho người quản trị
prob-named-but = không đọc được: tên tệp là .{ $ext } nhưng nội dung là { $kind }
prob-scan-no-text = không đọc được: bản scan mà nhận dạng chữ (OCR) không ra chữ nào
prob-no-text = không đọc được: tệp không có chữ nào
prob-not-counted = "{ $file }": { $why } — không tính là đã nộp; nếu đúng là tài liệu cần nộp, cán bộ nhận tệp trên trang của thư
prob-kind-image = một ảnh
prob-kind-empty = trống
prob-kind-other = không phải văn bản
prob-implausible-time = thời điểm nhận ghi trong thư ({ $said }) không thể đúng; dùng thời điểm { $used } thay thế — cán bộ kiểm tra lại nếu thư này nộp sát hạn
prob-no-sender = thư không có địa chỉ người gửi (From): không xác định đơn vị chỉ theo tiêu đề hay tên tệp — cán bộ gán đơn vị nếu đúng
prob-secret = "{ $file }" có dấu "{ $mark }": tài liệu mật không được gửi qua thư điện tử thông thường — xử lý theo quy định về tài liệu mật
prob-bounce-about = {" "}(thư gốc Message-ID { $id })
prob-bounce-failed = thư báo không gửi được: thư gửi tới { $addr } bị trả lại{ $about } — { $reason }. Địa chỉ này được ghi là hỏng và không được gửi tới nữa; sửa địa chỉ trong danh sách đơn vị trên trang quản lý, rồi đánh dấu địa chỉ dùng lại được
prob-bounce-delayed = thư báo chậm chuyển: thư gửi tới { $addr } chưa đến nơi{ $about }, máy chủ vẫn đang thử lại — { $reason }. Chưa cần làm gì
prob-bounce-unknown = thư báo không gửi được{ $about }, nhưng không đọc ra địa chỉ nào bị lỗi; mở thư để xem
prob-quarantined = đọc thư này nhiều lần đều bị gián đoạn; thư được để riêng — cán bộ mở tệp bằng tay
prob-archive-unreadable = không đọc lại được thư này từ kho lưu trữ
ingest-progress = {"{"}spinner{"}"} Đang nhập thư [{"{"}bar:30{"}"}] {"{"}bytes{"}"}/{"{"}total_bytes{"}"} · {"{"}elapsed{"}"} (còn {"{"}eta{"}"})
held-max = đã nhắc { $count } lần (max-per-unit)
held-recent = vừa được nhắc chưa đủ min-interval-hours
held-no-address = không có địa chỉ dùng được (chưa đăng ký, hoặc thư tới mọi địa chỉ đều bị trả lại)
source-not-found = không có tệp hay thư mục này
source-no-permission = không có quyền đọc
source-not-mail = không phải thư điện tử (.eml), hộp thư mbox hay thư mục Maildir; tệp đính kèm được nhập cùng thư chứa nó
source-list-dir = không liệt kê được thư mục: { $cause }
source-open-mbox = không mở được hộp thư mbox: { $cause }
daemon-config-changed = tệp cấu hình đã sửa ({ $files }); baocao run vẫn dùng cấu hình cũ cho tới khi được khởi động lại
form-both-marked = đánh dấu cả hai cột "Phù hợp" và "Chưa phù hợp" ở { $at }
form-none-marked = chưa đánh dấu cột nào ở { $at }
form-unknown-row-in = dòng "{ $row }" ({ $group }) không có trong mẫu biểu; không được tính
form-missing-row = thiếu dòng { $group } / { $row } so với mẫu biểu
form-unknown-row = dòng "{ $row }" không có trong mẫu biểu; không được tính
form-not-a-date = "{ $value }" ở { $at } không phải ngày tháng
form-stored-unreadable = kết quả đọc tệp "{ $file }" được lưu ở dạng mà phiên bản này không đọc được
form-no-template = công văn không có mẫu cho biểu này
form-no-table = tệp không có bảng nào
form-no-header = không có hàng tiêu đề nào mang các cột năm của mẫu ({ $columns })
form-no-row = có các cột năm nhưng không dòng nào khớp các dòng của mẫu ("{ $first }" …)
form-checklist-no-row = có cột "Phù hợp" và "Chưa phù hợp" nhưng không dòng nào khớp các dòng của mẫu
form-checklist-no-header = không có bảng nào có hai cột "Phù hợp" và "Chưa phù hợp"
store-no-unit = không có đơn vị "{ $unit }"
store-no-message = không có thư "{ $key }" trong sổ; `baocao messages` liệt kê Message-ID của các thư
rec-other-request = { $place } nêu văn bản { $number }, không phải công văn đang theo dõi: thư không được tính cho công văn nào — cán bộ xem lại nếu đơn vị ghi nhầm số
rec-file-unknown = chưa xác định được tệp "{ $file }" là tài liệu nào; cán bộ chọn trên trang của thư
rec-subject-form-missing = tiêu đề thư nói có { $item } nhưng không tìm thấy bảng { $item } trong tệp đính kèm ({ $files }); { $item } ghi là cần kiểm tra — cán bộ mở tệp, nếu đúng thì nhận là { $item } trên trang của thư
rec-forward-date = không đọc được ngày gửi của thư gốc trong phần chuyển tiếp ({ $date }); thời điểm nhận tính theo lúc chuyển tiếp — cán bộ kiểm tra
rec-no-date-line = không có dòng ngày
place-subject = tiêu đề
place-sender-name = tên người gửi
place-body = nội dung thư
place-document = tài liệu đính kèm
place-document-issuer = dòng đơn vị ban hành của tài liệu
place-document-signature = phần ký của tài liệu
place-filename = tên tệp
rec-unit-conflict = thư gửi từ địa chỉ của { $unit }, nhưng { $place } ghi { $other } — cán bộ kiểm tra; nếu cần, sửa trên trang của thư
rec-unit-by = { $unit } (theo { $place })
rec-several-units = thư nêu nhiều đơn vị khác nhau: { $units }; chưa gán đơn vị — cán bộ chọn đơn vị trên trang của thư
rec-names-several = { $place } nêu tên nhiều đơn vị ({ $units })
rec-subject-says = tiêu đề thư nói tệp "{ $file }" là { $item }
rec-named-as = tệp "{ $file }" được đặt tên là { $item }
rec-form-not-found = { $said } nhưng không có bảng { $item } nào nhận ra được bên trong ({ $why }); { $item } ghi là cần kiểm tra — cán bộ mở tệp, nếu đúng thì nhận là { $item } trên trang của thư
rec-named-but-holds = tệp "{ $file }" được đặt tên là { $item } nhưng chứa { $found }; được tính theo nội dung thực

# Reading the mailbox (poll): errors and events staff see.
poll-busy = một tiến trình baocao khác đang đọc { $mailbox } (mỗi hộp thư chỉ đọc một lượt một lúc); đợi lượt đó xong rồi thử lại
poll-lock = không tạo được tệp khóa { $path }
poll-pipeline = các luồng đọc thư dừng bất thường; thư chưa lưu sẽ được đọc lại lần sau
poll-uidvalidity = thư mục "{ $folder }" của { $account }: máy chủ đã đổi UIDVALIDITY từ { $was } sang { $now }; thư mục đã được đọc lại toàn bộ
poll-recovered = đọc hộp thư đã trở lại bình thường (trước đó lỗi: { $was })
daemon-units-unreadable = không đọc được danh sách đơn vị trong sổ
template-built-in = { $name } (mẫu có sẵn)
