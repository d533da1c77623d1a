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
