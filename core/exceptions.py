from django.utils.translation import gettext as _


class TransitionNotAllowed(Exception):
    """A state change that the machine's transition table does not allow (the API answers 409)."""

    def __init__(self, message: str = "", *, state: str = "", action: str = ""):
        self.state, self.action = state, action
        super().__init__(message or _("This action is not possible in the current state."))

    @property
    def message(self) -> str:
        return str(self.args[0])


def next_state(table: dict[tuple[str, str], str], *, state: str, action: str, labels: dict | None = None,
               action_labels: dict | None = None) -> str:
    """The state that ``action`` leads to from ``state`` in ``table``, or TransitionNotAllowed.

    ``labels`` and ``action_labels`` give the (translated) names shown in the message.
    """
    try:
        return table[(state, action)]
    except KeyError:
        shown_state = (labels or {}).get(state, state)
        shown_action = (action_labels or {}).get(action, action)
        raise TransitionNotAllowed(
            _("“%(action)s” is not possible while the record is “%(state)s”.")
            % {"action": shown_action, "state": shown_state},
            state=state, action=action,
        ) from None
