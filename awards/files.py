"""Files of awards (uploads.owners): a nomination's photos, video and consent follow the nomination
(published ones are made public at the announcement); an objection's attachments are the organisers'."""

FILE_OWNERS = [
    ("awards.Nomination", "id_photo", "nomination.view", ""),
    ("awards.Nomination", "life_photos", "nomination.view", ""),
    ("awards.Nomination", "video", "nomination.view", ""),
    ("awards.Nomination", "consent", "nomination.view", ""),
    ("awards.Objection", "attachments", "awards.manage", ""),
]
