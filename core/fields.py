"""Model fields that keep sciday's two clocks apart."""

from django.db import models

from . import clock


class ClockDateTimeField(models.DateTimeField):
    """A DateTimeField whose ``auto_now`` / ``auto_now_add`` take the time from ``core.clock`` (the demo clock
    when SCIDAY_CLOCK is set), so that a record a person reads is never stamped in another time than the rules
    compare with. Audit entries and security timings keep Django's real-time DateTimeField on purpose.

    The database column is an ordinary timestamp: ``deconstruct`` reports a DateTimeField, so migrations
    see no difference.
    """

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = clock.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
