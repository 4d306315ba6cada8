"""The public message form, its errors in the page's language."""

from __future__ import annotations

import re

from django import forms

from rongmei.interaction.models import CONTENT_LIMIT, MessageCategory
from rongmei.interaction.texts import texts_for

# A mobile or landline number, optionally international, with an extension:
# 13812345678, 010-66012345, (010) 6601 2345, +86 138 1234 5678, 66012345-801.
PHONE = re.compile(r"^\+?[0-9 ()\-]{7,24}$")
PHONE_DIGITS = (7, 20)
HONEYPOT = "memo"  # a field people never see (and browsers do not autofill) that scripts fill in


class TextField(forms.CharField):
    """Text with line breaks counted once (a browser sends each as CR LF)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


class CategoryField(forms.ModelChoiceField):
    def __init__(self, *args, language="zh-hans", **kwargs):
        self.language = language
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return obj.label(self.language)


class MessageForm(forms.Form):
    def __init__(self, *args, language: str = "zh-hans", **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        t = self.texts = texts_for(language)
        required = {"required": t["required"]}
        self.fields["category"] = CategoryField(
            MessageCategory.objects.filter(is_active=True),
            language=language,
            empty_label=None,
            error_messages={"required": t["category_invalid"], "invalid_choice": t["category_invalid"]},
        )
        self.fields["content"] = TextField(
            max_length=CONTENT_LIMIT, error_messages={**required, "max_length": t["content_too_long"]}
        )
        self.fields["name"] = forms.CharField(
            required=False, max_length=50, error_messages={"max_length": t["name_too_long"]}
        )
        self.fields["phone"] = forms.CharField(
            required=False, max_length=30, error_messages={"max_length": t["phone_invalid"]}
        )
        email_invalid = {"invalid": t["email_invalid"], "max_length": t["email_invalid"]}
        self.fields["email"] = forms.EmailField(required=False, max_length=254, error_messages=email_invalid)
        self.fields[HONEYPOT] = forms.CharField(required=False, strip=False)

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        digits = sum(ch in "0123456789" for ch in phone)
        if phone and not (PHONE.match(phone) and PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]):
            raise forms.ValidationError(self.texts["phone_invalid"], code="invalid")
        return phone

    @property
    def is_trap_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT))
