from django.utils.translation import gettext as _


class TransitionNotAllowed(Exception):
    """A state change that the machine's transition table does not allow (the API answers 409)."""

    def __init__(self, message: str = "", *, state: str = "", action: str = ""):
        self.state, self.action = state, action
        super().__init__(message or _("This action is not possible in the current state."))

    @property
    def message(self) -> str:
        return str(self.args[0])


def next_state(table: dict[tuple[str, str], str], *, state: str, action: str, labels: dict | None = None) -> str:
    """The state that ``action`` leads to from ``state`` in ``table``, or TransitionNotAllowed."""
    try:
        return table[(state, action)]
    except KeyError:
        shown = (labels or {}).get(state, state)
        raise TransitionNotAllowed(
            _("“%(action)s” is not possible while the record is “%(state)s”.") % {"action": action, "state": shown},
            state=state, action=action,
        ) from None
