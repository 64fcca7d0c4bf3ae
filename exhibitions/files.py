"""Files of exhibitions: a stop's photo follows the stop (uploads.owners); they are stored public."""

FILE_OWNERS = [("exhibitions.ExhibitionPhoto", "asset", "exhibition_stop.report", "stop")]
