"""Files of activities: seen by whoever may see the activity (uploads.owners); covers, photos and
videos of public activities are stored public anyway."""

FILE_OWNERS = [
    ("activities.Activity", "cover", "activity.view", ""),
    ("activities.Activity", "video", "activity.view", ""),
    ("activities.ActivityPlan", "asset", "activity.view", "activity"),
    ("activities.ActivityPhoto", "asset", "activity.view", "activity"),
]
