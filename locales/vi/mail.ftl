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
