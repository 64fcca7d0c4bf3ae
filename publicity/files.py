"""Files of publicity (uploads.owners): a video's MP4 and poster frame are public once the video is published
and, before that, seen by organisers and the video's unit; posters, templates and articles' PDFs are stored
public."""

FILE_OWNERS = [
    ("publicity.Video", "mp4", "publicity.video.view", ""),
    ("publicity.Video", "poster", "publicity.video.view", ""),
    ("publicity.PosterTemplate", "background", "publicity.manage", ""),
    ("publicity.Poster", "png", "publicity.unit", "unit"),
    ("publicity.Poster", "pdf", "publicity.unit", "unit"),
    ("publicity.Article", "pdf", "publicity.manage", ""),
]
