# Câu chữ của trang quản lý (baocao web): các trang (src/web/templates/*.html lấy qua hàm
# t("mã")), thông báo lỗi, nhật ký thay đổi. Nhật ký lưu câu chữ theo ngôn ngữ của tiến trình
# đã ghi nó.

## Chung
web-lang = vi
web-nav-attention = Cần xử lý
web-nav-campaigns = Công văn
web-nav-outbox = Thư đã gửi
web-nav-units = Đơn vị
web-nav-audit = Nhật ký
web-read-only = chỉ xem
web-logout = Đăng xuất
web-unknown = chưa rõ
web-see = xem
web-assign = Gán
web-choose-unit = chọn đơn vị
web-accept = Nhận (đã mở được)
web-reject = Không nhận
web-to-review = Cần xem lại
web-no-cases = Không có việc nào cần xử lý.
web-campaign = Công văn { $number }
web-points-to-check = { $count } điểm cần xem
web-figures-heading = Số liệu lấy từ báo cáo

## Cột của bảng
web-col-campaign = Công văn
web-col-deadline = Hạn nộp
web-col-unit = Đơn vị
web-col-state = Tình trạng
web-col-unidentified = Thư chưa rõ đơn vị
web-col-kind = Loại
web-col-created = Tạo lúc
web-col-sent = Gửi lúc
web-col-to = Tới
web-col-subject = Tiêu đề
web-col-at = Lúc
web-col-who = Ai
web-col-what = Việc
web-col-target = Đối tượng
web-col-before = Trước
web-col-after = Sau
web-col-sender = Người gửi
web-col-received = Nhận lúc
web-col-duplicate = Trùng
web-col-file = Tệp
web-col-is-document = Là tài liệu
web-col-readable = Đọc được không
web-col-document = Tài liệu
web-col-number = Số
web-col-id = Mã
web-col-name = Tên
web-col-short-name = Tên ngắn
web-col-addresses = Địa chỉ thư

## Tên trang
web-title-home = Tổng quan
web-title-matrix = Tình hình nộp
web-title-unit = Đơn vị
web-title-message = Thư
web-title-outbox = Hộp thư đi

## Đăng nhập, trang lỗi
web-login = Đăng nhập
web-login-intro = Theo dõi các đơn vị nộp báo cáo. Đăng nhập bằng tài khoản cán bộ văn phòng.
web-login-name = Tên đăng nhập
web-login-password = Mật khẩu
web-login-stale = Trang đăng nhập đã cũ; hãy đăng nhập lại.
web-login-blocked = Đăng nhập sai quá nhiều lần. Hãy đợi 15 phút rồi thử lại.
web-login-wrong = Sai tên đăng nhập hoặc mật khẩu.
web-error-title = Có lỗi
web-error-heading = Không làm được
web-error-home = Về trang đầu

## Trang đầu
web-home-heading = Công văn đang theo dõi
web-home-as-of = Tính đến { $at }.
web-home-cases = Có { $count } việc cần xử lý
web-home-none = Chưa cấu hình công văn nào.

## Tình hình nộp của một công văn
web-matrix-deadline = Hạn nộp:
web-matrix-as-of = Tình hình tính đến { $at }
web-matrix-total = { $count } đơn vị:
web-matrix-on-time = { $count } đủ, đúng hạn
web-matrix-late = { $count } đủ, nộp muộn
web-matrix-partial = { $count } còn thiếu
web-matrix-missing = { $count } chưa gửi
web-matrix-unidentified = { $count } thư chưa rõ đơn vị
web-matrix-show = Xem:
web-filter-all = Tất cả
web-filter-missing = Còn thiếu
web-filter-late = Muộn
web-filter-check = Cần kiểm tra
web-matrix-extended = gia hạn đến { $until }
web-matrix-empty = Không có đơn vị nào ở mục này.
web-remind-all = Nhắc ngay mọi đơn vị còn thiếu
web-rebuild-drafts = Lập lại dự thảo tổng hợp
web-drafts-built = Dự thảo lập lúc { $at }:
web-drafts-xlsx = Bảng tổng hợp (Excel)
web-drafts-docx = Dự thảo báo cáo (Word)
web-drafts-none = Chưa lập dự thảo tổng hợp.
web-cell-paper = nộp bản giấy { $at }
web-cell-late = nhận muộn { $at }
web-cell-received = nhận { $at }
web-cell-unreadable = tệp gửi đến không đọc được
web-cell-to-check = cần kiểm tra: tệp gửi đến mang tên biểu này nhưng không nhận ra bảng
web-cell-missing = chưa nhận

## Một đơn vị
web-unit-state = Tình trạng:
web-unit-deadline = Hạn nộp của đơn vị:
web-unit-extended = đã gia hạn
web-unit-next-reminder = Lần nhắc tự động tiếp theo:
web-unit-no-more-reminders = Không còn lần nhắc tự động nào theo kế hoạch.
web-unit-complete = Đã nộp đủ, không nhắc nữa.
web-unit-versions = { $count } bản
web-unit-read = Nội dung đã đọc
web-unit-read-none = Chưa có tệp nào đọc được nội dung.
web-unit-actions = Xử lý
web-extend-date = Gia hạn đến ngày
web-extend-time = lúc
web-extend = Gia hạn
web-paper-item = Đơn vị đã nộp bản giấy:
web-paper-note = Ghi chú
web-paper = Ghi nhận bản giấy
web-remind-unit = Nhắc đơn vị này ngay
web-unit-addresses = Địa chỉ thư
web-unit-bounced = thư gửi tới bị trả lại
web-unit-no-address = Chưa có địa chỉ nào trong danh sách đơn vị.
web-unit-mail = Thư của đơn vị
web-unit-no-mail = Chưa nhận thư nào.
web-unit-sent = Thư đã gửi cho đơn vị
web-unit-none-sent = Chưa gửi thư nào.

## Một thư
web-msg-heading = Thư [{ $id }]: { $subject }
web-msg-duplicate-of = Thư này trùng với
web-msg-number = thư [{ $id }]
web-msg-unreadable = Không đọc được thư: { $error }
web-msg-quarantined = Đọc tệp đính kèm bị lỗi nhiều lần nên đã dừng; hãy tải tệp về mở bằng tay.
web-msg-assign-unit = Thư này của đơn vị
web-msg-assign-campaign = trả lời công văn
web-msg-files = Tệp đính kèm
web-msg-by-staff = cán bộ quyết định
web-msg-readable = được
web-msg-no-files = Thư không có tệp đính kèm.
web-msg-send-receipt = Gửi biên nhận (nếu chưa gửi)
web-read-from = Đã đọc từ tệp { $file }
web-msg-body = Nội dung thư
web-by-other = tự nhận ra
web-by-none = chưa nhận ra

## Nội dung đọc được từ tệp
web-read-how = Cách đọc: { $how }
web-read-scanned = bản scan
web-read-sections = Các mục của báo cáo
web-read-outline = mục { $id } của đề cương: { $title }
web-read-empty = Không thấy biểu mẫu hay mục báo cáo nào trong tệp.
web-read-broken = Kết quả đọc tệp đã lưu không đọc lại được; cần đọc lại thư.
web-read-native = đọc trực tiếp
web-read-converted = đọc sau khi chuyển định dạng
web-read-ocr = nhận dạng chữ từ bản scan (OCR)
web-read-no-text = không có chữ
web-figures-none = Không đọc được số liệu nào.
web-form-col-group = Nhóm
web-form-col-content = Nội dung
web-form-col-fit = Phù hợp
web-form-col-unfit = Chưa phù hợp
web-form-col-proposal = Đề xuất
web-form-cells = { $count } ô có nội dung
web-form-rows = { $count } dòng
web-fig-col-year = Năm
web-fig-col-figure = Đối tượng
web-fig-col-rated = Được đánh giá

## Cần xử lý
web-attention-unit = Của đơn vị
web-attention-campaign = công văn
web-attention-download = Tải tệp về mở thử
web-address-ok = Địa chỉ đã sửa, dùng lại được
web-case-mailbox = Đọc hộp thư bị lỗi từ { $at }: { $detail }. Thư mới chưa được đọc cho tới khi hết lỗi.
web-case-config = Từ { $at }: { $detail }. Người quản trị máy chủ cần khởi động lại dịch vụ baocao.
web-case-unknown-sender = không rõ người gửi
web-case-unreadable = Thư { $when } từ { $from } «{ $subject }» không đọc được: { $error }
web-case-quarantined = đọc tệp bị lỗi nhiều lần
web-case-unidentified = Thư { $when } từ { $from } «{ $subject }» { $what }
web-case-no-unit-no-campaign = chưa rõ của đơn vị nào, trả lời công văn nào
web-case-no-unit = chưa rõ của đơn vị nào
web-case-no-campaign = chưa rõ trả lời công văn nào
web-case-file = Tệp «{ $file }» của thư { $when } từ { $from } không mở được: { $error }
web-case-bounced = Thư gửi tới { $address }{ $owner } bị trả lại: { $reason }. Sửa địa chỉ trong danh sách đơn vị, rồi đánh dấu dùng lại được.
web-case-outbox = { $count } thư gửi đi bị lỗi, chưa gửi được

## Hộp thư đi, danh sách đơn vị, nhật ký
web-outbox-heading = Thư đã gửi và đang chờ gửi
web-outbox-none = Chưa có thư nào.
web-units-heading = Danh sách đơn vị
web-units-download = Tải danh sách (CSV, mở bằng Excel)
web-units-none = Chưa có đơn vị nào.
web-units-import-heading = Nạp lại danh sách
web-units-import-how = Mở tệp danh sách bằng Excel, lưu thành CSV UTF-8, mở bằng Notepad, chép toàn bộ rồi dán vào đây
web-units-import-header = dòng đầu:
web-units-import-addresses = nhiều địa chỉ thư cách nhau bằng dấu chấm phẩy
web-units-import-replaces = Danh sách mới thay hẳn danh sách cũ.
web-units-import = Nạp danh sách này
web-audit-heading = Nhật ký thay đổi
web-audit-none = Chưa có thay đổi nào.

## Lỗi
web-err-not-found = không tìm thấy: { $what }
web-err-forbidden = không được phép: { $why }
web-err-store = lỗi sổ đăng ký: { $detail }
web-err-notify = lỗi khi xếp thư gửi đi: { $detail }
web-err-internal = lỗi máy chủ: { $detail }
web-err-page = trang { $page }: { $detail }
web-err-listen = không mở được cổng { $addr } ([web] listen): { $detail }
web-addr-in-use = cổng này đang có chương trình khác dùng
web-addr-permission = không được phép mở cổng này (cổng dưới 1024 cần quyền quản trị)
web-err-no-randomness = máy không cho số ngẫu nhiên: { $detail }
web-tls-cert = [web] tls-cert { $file }: không đọc được chứng chỉ ({ $detail })
web-tls-no-cert = [web] tls-cert { $file } không có chứng chỉ nào
web-tls-key = [web] tls-key { $file }: không đọc được khóa riêng ({ $detail })
web-tls-mismatch = [web] tls-cert và tls-key không khớp nhau ({ $detail })
web-err-form-too-big = biểu mẫu quá lớn
web-err-csrf = biểu mẫu thiếu mã bảo vệ hoặc đã cũ; hãy tải lại trang rồi làm lại
web-err-read-only = tài khoản này chỉ được xem, không được sửa
web-err-login-first = cần đăng nhập trước: mở trang /dang-nhap
web-nf-campaign = công văn { $id }
web-nf-unit = đơn vị { $id }
web-nf-unit-in-campaign = đơn vị { $id } trong công văn này
web-nf-message = thư số { $id }
web-nf-file = tệp số { $idx } của thư { $id }
web-nf-part = tệp «{ $file }» trong thư gốc
web-nf-drafts = dự thảo (chưa lập)
web-nf-draft-file = tệp dự thảo «{ $file }»
web-err-raw-read = không đọc được thư gốc: { $detail }
web-err-draft-read = không đọc được dự thảo: { $detail }
web-err-no-unit = không có đơn vị «{ $id }» trong danh sách
web-err-no-item = công văn không có mục «{ $item }»
web-err-choose-item = chọn tệp này là tài liệu nào (mục) trước khi nhận
web-err-choose-decision = chọn Nhận hoặc Không nhận
web-err-not-a-date = «{ $value }» không phải là ngày (năm-tháng-ngày)
web-err-not-a-time = «{ $value }» không phải là giờ (giờ:phút)
web-err-no-such-moment = thời điểm không có thật
web-err-before-deadline = hạn mới phải sau hạn chung của công văn ({ $deadline })
web-err-no-templates-reminder = chưa cấu hình mẫu thư nên chưa gửi được thư nhắc
web-err-no-templates-receipt = chưa cấu hình mẫu thư nên chưa gửi được biên nhận
web-err-drafts = không lập được dự thảo: { $detail }
web-units-pasted = danh sách dán vào
web-err-units-csv = danh sách đơn vị không hợp lệ: { $detail }
web-err-units-empty = danh sách không có đơn vị nào; giữ nguyên danh sách cũ

## Nhật ký thay đổi (lưu theo ngôn ngữ của tiến trình ghi)
web-audit-assign = Gán thư cho đơn vị
web-audit-unit-and-campaign = đơn vị: { $unit }; công văn: { $campaign }
web-audit-message-subject = thư số { $id } «{ $subject }»
web-audit-reject = Không nhận tệp hỏng
web-audit-not-counted = không tính
web-audit-accept = Nhận tệp dù không đọc tự động được
web-audit-counted-as = tính là { $items }
web-audit-file = tệp «{ $file }» của thư số { $id }
web-audit-error = lỗi: { $error }
web-audit-extend = Gia hạn nộp
web-audit-unit-campaign = { $unit }, công văn { $number }
web-audit-deadline = hạn: { $at }
web-audit-paper = Ghi nhận nộp bản giấy
web-audit-not-received = chưa nhận
web-audit-paper-at = nộp giấy { $at }
web-audit-remind = Nhắc ngay
web-audit-campaign = công văn { $number }
web-audit-remind-none = không có thư nhắc nào (không còn thiếu, hoặc không có địa chỉ dùng được)
web-audit-remind-queued = đưa vào hàng đợi thư nhắc tới: { $units }
web-audit-receipt = Gửi biên nhận
web-audit-message = thư số { $id }
web-audit-receipt-queued = đưa biên nhận vào hàng đợi
web-audit-receipt-not = không gửi: thư đã có biên nhận, hoặc chưa rõ đơn vị/công văn
web-audit-rebuild = Lập lại dự thảo tổng hợp
web-audit-rebuilt = { $units } đơn vị phải nộp, { $reported } đã gửi báo cáo
web-audit-address-ok = Đánh dấu địa chỉ dùng lại được
web-audit-bounced = bị trả lại: { $reason }
web-audit-usable = dùng lại được
web-audit-import = Nạp lại danh sách đơn vị
web-audit-units = danh sách đơn vị
web-audit-unit-count = { $count } đơn vị
