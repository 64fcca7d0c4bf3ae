"""Files of summaries: an attachment is seen by whoever may see its summary (uploads.owners)."""

FILE_OWNERS = [("summaries.Attachment", "asset", "summary.view", "summary")]
