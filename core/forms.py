"""Form helpers shared by every app's views."""

from django.core.exceptions import ValidationError


def show_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on ``form``: each field's messages on that field, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
