"""The one place every web form gets its idempotency key.

This library is a template *builtin* (settings.TEMPLATES OPTIONS "builtins"), loaded after Django's
own, so its ``{% csrf_token %}`` replaces Django's: it writes Django's CSRF field and, beside it, a
hidden ``idempotency_key`` field with a new random key made when the form is rendered. Every POST form
already has ``{% csrf_token %}``, so every form sends a key without any template or view knowing; the
form sent twice (a double click, a retry after a timeout or a 502) is done once
(idempotency.middleware). A form rendered again (after a refusal) gets a new key.
"""

import uuid

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

from ..middleware import FIELD

register = template.Library()


class CsrfAndIdempotencyNode(CsrfTokenNode):
    def render(self, context):
        csrf = super().render(context)
        if not csrf:
            return csrf
        return csrf + format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)


@register.tag
def csrf_token(parser, token):
    return CsrfAndIdempotencyNode()
