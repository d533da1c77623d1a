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

## Dữ liệu của bản tin (ô bảng, dòng đơn vị, thư mới, hạn, việc cần xử lý)
mail-unknown-sender = không rõ người gửi
mail-cell-paper = nộp giấy { $at }
mail-cell-late = nhận muộn { $at }
mail-cell-on-time = nhận { $at }
mail-cell-check = { $item }: cần kiểm tra — tệp gửi đến mang tên biểu này nhưng không nhận ra bảng
mail-cell-damaged = { $item }: tệp gửi đến không đọc được
mail-cell-missing = chưa nhận
mail-state-not-required = Không phải gửi
mail-cell-not-required = không phải gửi
mail-legend-on-time = nhận đúng hạn
mail-legend-late = nhận sau hạn
mail-legend-paper = nộp bản giấy
mail-legend-damaged = gửi đến nhưng tệp hỏng
mail-legend-check = cần kiểm tra: tệp mang tên biểu nhưng không nhận ra bảng
mail-unit-late-item = { $items } (nhận { $at })
mail-unit-late = nộp muộn { $items }
mail-unit-partial = thiếu { $items }
mail-unit-damaged = {" "}({ $items } gửi đến nhưng tệp hỏng)
mail-unit-to-check = {" "}({ $items } cần kiểm tra)
mail-unit-nothing = chưa gửi gì
mail-unit-nothing-readable-check = chưa nhận được gì đọc được ({ $items } cần kiểm tra: tệp gửi đến không nhận ra bảng)
mail-unit-nothing-readable-damaged = chưa nhận được gì đọc được ({ $items } gửi đến nhưng tệp hỏng)
mail-arrival-unknown-unit = chưa rõ đơn vị ({ $from })
mail-arrival-damaged = { $items } (tệp hỏng)
mail-arrival-nothing = không có tệp nào được nhận ra
mail-arrival-resend = { $items } (gửi lại y hệt, không tính)
mail-deadline-today = hết hạn trong hôm nay
mail-deadline-days-left = còn { $days } ngày
mail-deadline-passed = đã quá hạn
mail-deadline-days-over = đã quá hạn { $days } ngày
mail-act-mailbox = Đọc hộp thư bị lỗi từ { $at }: { $detail }. Thư mới chưa được đọc cho tới khi hết lỗi
mail-act-config = Từ { $at }: { $detail }. Người quản trị máy chủ cần khởi động lại dịch vụ baocao
mail-act-unidentified = Thư { $at } từ { $from } «{ $subject }» (Công văn { $number }) chưa rõ của đơn vị nào
mail-act-file-broken = Tệp «{ $file }» của { $unit } không mở được: { $error }
mail-act-file-scanned = Tệp «{ $file }» của { $unit } là bản quét (không có chữ để đọc): cán bộ cần mở ra kiểm tra
mail-act-file-problem = Tệp «{ $file }» của { $unit }: { $problem }
mail-act-mail-problem = Thư của { $unit } «{ $subject }»: { $problem }
mail-act-forms-more = {" "}… và { $count } chỗ khác
mail-act-forms = Biểu mẫu của { $unit } có { $count } chỗ cần xem: { $shown }{ $more }
mail-act-figures = Không đọc được số liệu của Công văn { $number } để kiểm tra quy định: { $error }
mail-act-breach = { $unit } — { $breach }; cần trao đổi lại với đơn vị trước khi tổng hợp
mail-act-internal = Đọc thư { $at } từ { $from } gặp lỗi của chương trình; thư đã được lưu và sẽ được đọc lại khi có bản sửa — báo cho người quản trị
mail-act-unreadable = Thư { $at } không đọc được ({ $error }); tệp gốc lưu ở { $path }
mail-act-bounce-owner = {" "}(địa chỉ của { $unit })
mail-act-bounce = Thư gửi tới { $address }{ $owner } bị trả lại: { $reason }. baocao không gửi tới địa chỉ này nữa; sửa địa chỉ trong danh sách đơn vị ({ $csv }), rồi đánh dấu địa chỉ dùng lại được
mail-act-outbox-failed = { $count } thư gửi đi bị lỗi, không gửi được
mail-act-outbox-uncertain = { $count } thư không rõ đã đi chưa (chương trình dừng giữa lúc gửi)
mail-act-no-campaign = Thư { $at } của { $unit } «{ $subject }» chưa rõ trả lời công văn nào
mail-act-unknown-both = Thư { $at } từ { $from } «{ $subject }» chưa rõ của đơn vị nào, về công văn nào

## Số liệu trong dự thảo: ghi chú khi kiểm tra và vi phạm quy định (luôn bằng tiếng Việt trong dự thảo)
figures-year = năm { $year }
figures-no-year = (không rõ năm)
figures-measure-rated = số được đánh giá
figures-measure-members = tổng số
figures-measure-level = số { $level }
figures-conflict = { $figure } { $year }: { $measure } ghi hai số khác nhau ({ $first } và { $second }); đã dùng số đầu tiên, cần kiểm tra.
figures-not-adding-up = { $figure } { $year }: cộng các mức xếp loại được { $sum }, khác số được đánh giá { $rated }.
figures-more-than-members = { $figure } { $year }: số được đánh giá ({ $rated }) nhiều hơn tổng số ({ $members }).
figures-year-missing = Chưa có kết quả xếp loại năm { $years } (báo cáo phải nêu từng năm).
figures-breach = { $figure } { $year }: { $count } { $level } so với { $of } { $of_level } (tối đa { $allowed }, tức { $percent }%) — vượt quy định.
figures-unreadable = Không đọc lại được tệp báo cáo { $path }; số liệu phải nhập tay.
figures-ocr = Số liệu đọc từ bản scan (OCR), cần đối chiếu với bản gốc.
figures-scan-no-text = Báo cáo là bản scan chưa đọc được chữ; số liệu phải nhập tay.
