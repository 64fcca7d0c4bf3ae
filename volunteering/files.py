"""Files of volunteer service: a record's photos are seen by whoever may see its team (uploads.owners)."""

FILE_OWNERS = [("volunteering.ServiceRecord", "photos", "team.view", "team")]
