from django.db import models


class ThrottleCount(models.Model):
    """How many attempts one client made at one scope in one time slot, when the shared cache is the
    database: one atomic upsert per attempt (core.throttle), where the database cache would need a
    read and a write that two app servers could interleave. With Redis the cache counts instead."""

    key = models.CharField(max_length=80)  # "<scope>:<hash of the client>"
    slot = models.BigIntegerField()  # the number of the time window (seconds since 1970 // window)
    n = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField()  # seconds since 1970: deleted after this

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "slot"], name="unique_throttle_slot")]
        indexes = [models.Index(fields=["expires"], name="throttle_expires")]

    def __str__(self):
        return f"{self.key}@{self.slot}={self.n}"
