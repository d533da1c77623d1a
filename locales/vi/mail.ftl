# Câu chữ trong thư baocao gửi đi (tiếng Việt, ngôn ngữ mặc định): biên nhận, thư nhắc,
# bản tin cho cán bộ, thư thử. Mẫu thư (templates/*.j2) lấy các câu này qua hàm t("mã").

## Thư thử (send-test)
mail-test-subject = Thư thử nghiệm của baocao — { $office }
mail-test-body =
    Kính gửi đồng chí,

    Đây là thư thử nghiệm do baocao gửi lúc { $at }. Nếu đồng chí đọc được thư này và tệp đính kèm, biên nhận và nhắc nhở sẽ đến được hộp thư này.

    Trân trọng.
mail-test-file-name = Biên nhận thử nghiệm — Văn phòng.txt
mail-test-file-text = Biên nhận thử nghiệm: tiếng Việt có dấu hiển thị đúng.

## Chung
mail-lang = vi
mail-dear = Kính gửi { $name },

## Biên nhận (receipt.txt.j2)
mail-receipt-subject = Biên nhận: { $unit } — Công văn { $number }
mail-receipt-subject-missing = {" "}(còn thiếu { $count } tài liệu)
mail-receipt-subject-complete = {" "}(đã đủ)
mail-receipt-received = { $office } đã nhận thư của đồng chí lúc { $at }
mail-receipt-subject-was = {" "}(tiêu đề: "{ $subject }")
mail-receipt-for = {" "}và ghi nhận cho Công văn số { $number } — { $title }.
mail-receipt-deadline = Hạn gửi: { $deadline }.
mail-receipt-read = Đã nhận và đọc được trong thư này:
mail-receipt-file = tệp "{ $file }"
mail-receipt-nothing = (chưa nhận ra tài liệu nào theo yêu cầu của công văn trong thư này)
mail-receipt-missing = Đơn vị còn thiếu:
mail-receipt-send-more = Đề nghị đồng chí gửi bổ sung trước hạn trên, bằng cách trả lời thư này hoặc gửi thư mới.
mail-receipt-complete = Đơn vị đã gửi đủ các tài liệu theo yêu cầu{ $late ->
        [true] {" "}(gửi sau hạn)
       *[other] {""}
    }. Xin cảm ơn đồng chí.
mail-receipt-notes = Cần đồng chí lưu ý:
mail-receipt-footer = Thư này do hệ thống tiếp nhận báo cáo của { $office } gửi tự động; nếu có sai sót, đồng chí trả lời thư này để cán bộ văn phòng kiểm tra.

## Thư nhắc (reminder.txt.j2)
mail-reminder-subject = { $overdue ->
        [true] Quá hạn
       *[other] Nhắc
    } gửi báo cáo theo Công văn { $number } — { $unit }
mail-reminder-overdue = Đã quá hạn { $deadline } của Công văn số { $number } ngày { $issued } của { $issuer } về việc { $title }, { $office } chưa nhận đủ tài liệu của đơn vị.
mail-reminder-due = Theo Công văn số { $number } ngày { $issued } của { $issuer } về việc { $title }, hạn gửi là { $deadline }
mail-reminder-days-left = {" "}(còn { $days } ngày)
mail-reminder-missing = Đến { $now }, đơn vị còn thiếu:
mail-reminder-received = Đã nhận: { $items }.
mail-reminder-ask = Đề nghị đồng chí gửi các tài liệu còn thiếu về địa chỉ thư này{ $overdue ->
        [true] {" "}sớm nhất có thể
       *[other] {" "}trước hạn
    }. Nếu đơn vị đã gửi, xin bỏ qua thư này; hệ thống sẽ gửi biên nhận khi nhận được.

## Bản tin cho cán bộ (digest.txt.j2, digest.html.j2)
mail-digest-subject = Tình hình nhận báo cáo { $today }
mail-digest-subject-actions = {" "}— { $count } việc cần xử lý
mail-digest-intro = { $office } — tình hình nhận báo cáo của các đơn vị, tính đến { $now }.
mail-digest-intro-html = {" "}— tình hình nhận báo cáo của các đơn vị, tính đến{" "}
mail-digest-since = Thư mới tính từ bản tin trước ({ $since }).
mail-digest-actions = Cần xử lý
mail-digest-no-actions = Không có việc gì cần xử lý.
mail-digest-open = Mở trang để xử lý
mail-digest-campaign = Công văn { $number } — { $title }
mail-digest-campaign-short = Công văn { $number }
mail-digest-deadline = Hạn nộp:
mail-digest-counts = Tổng số { $units } đơn vị: { $on_time } đủ và đúng hạn, { $late } đủ nhưng nộp muộn, { $partial } còn thiếu, { $missing } chưa gửi.
mail-digest-legend = Ký hiệu:
mail-digest-legend-text = Ký hiệu: ✓ đúng hạn · ✓ muộn nhận sau hạn · ✓ giấy nộp bản giấy · ✗ chưa nhận · ✗ hỏng tệp hỏng · ? cần kiểm tra.
mail-digest-on-time-label = Đủ, đúng hạn:
mail-digest-late-label = Đủ, nộp muộn:
mail-digest-partial-label = Còn thiếu:
mail-digest-missing-label = Chưa gửi:
mail-digest-total-label = Tổng số:
mail-digest-units-word = đơn vị
mail-digest-col-unit = Đơn vị
mail-digest-col-state = Tình trạng
mail-digest-col-at = Lúc nhận
mail-digest-col-items = Tài liệu
mail-digest-new-since = Thư mới từ { $since }
mail-digest-received = Thư đã nhận
mail-digest-late = Nộp muộn
mail-digest-partial = Còn thiếu
mail-digest-missing = Chưa gửi
mail-digest-none = Không có.
mail-digest-none-lower = không có
mail-digest-footer-text = Bản tin này do baocao gửi tự động. Xem chi tiết và xử lý trên trang quản lý: { $console }
mail-digest-footer-html = Bản tin này do baocao gửi tự động. Xem chi tiết và xử lý trên{" "}
mail-digest-console = trang quản lý

## Ngày giờ trong thư; lưu ý trong biên nhận; dự thảo tổng hợp
mail-time = { $time } ngày { $date }
mail-form-both = { $item }, { $at }: đánh dấu cả hai cột "Phù hợp" và "Chưa phù hợp"
mail-form-none = { $item }, { $at }: chưa đánh dấu cột nào
mail-form-not-a-date = { $item }, { $at }: ngày ban hành không đúng dạng ngày/tháng/năm
mail-form-unknown-row = { $item }: dòng "{ $at }" không có trong mẫu biểu, chưa được tính
mail-file-broken = Tệp "{ $file }" bị hỏng hoặc không mở được; đề nghị gửi lại tệp này.
mail-file-scanned = bản scan, cán bộ văn phòng sẽ đối chiếu
mail-file-no-text = Không đọc được nội dung tệp "{ $file }"; đề nghị gửi bản Word/Excel hoặc PDF có chữ.
mail-reminder-cancelled = đơn vị đã gửi đủ trước khi thư nhắc được gửi đi
mail-draft-subject = Dự thảo tổng hợp báo cáo theo Công văn { $number } — { $reported }/{ $total } đơn vị đã gửi báo cáo
mail-draft-body =
    Kính gửi Ban Tổ chức,

    baocao đã lập dự thảo tổng hợp theo Công văn số { $number } ({ $title }), số liệu tính đến { $at }:
    - { $reported }/{ $total } đơn vị đã gửi báo cáo; { $missing } đơn vị chưa gửi gì.

    Đính kèm: bảng tổng hợp Excel và dự thảo báo cáo Word để cán bộ biên tập. Dự thảo sẽ được lập lại và gửi lại khi có đơn vị gửi thêm hoặc gửi bổ sung.

    Bản mới nhất luôn nằm trong thư mục { $dir }.
