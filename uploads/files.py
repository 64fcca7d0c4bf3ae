"""Files of uploads itself: a file kept for a refused form is its chooser's alone (uploads.owners)."""

FILE_OWNERS = [
    ("uploads.PendingUpload", "asset", "uploads.pending.view", ""),
]
