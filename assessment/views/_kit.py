"""Temporary: the form mixin until jiedao.viewkit provides it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def _form_errors(form, error: ValidationError):
    """Put a service's ValidationError on the form: field errors where the field exists."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class ServiceFormMixin:
    success_message = ""

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            saved = self.save(form)
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(saved)
