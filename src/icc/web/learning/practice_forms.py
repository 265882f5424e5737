"""The form of a good practice: every field checked with a message that says what to change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .models import Cost, GoodPractice, TargetGroup

YEARS = (1990, 2100)


class PracticeForm(forms.ModelForm):
    main_area = forms.ChoiceField(label=gettext_lazy("Main Index area"))
    other_areas = forms.MultipleChoiceField(
        label=gettext_lazy("Other Index areas (up to two)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    target_groups = forms.MultipleChoiceField(
        label=gettext_lazy("Target groups"), choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple
    )
    links_text = forms.CharField(
        label=gettext_lazy("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One address per line, starting with https:// or http://"),
    )

    class Meta:
        model = GoodPractice
        fields = [
            "city",
            "title",
            "language",
            "start",
            "end",
            "purpose",
            "actions",
            "results",
            "evidence",
            "cost",
            "contact",
            "contact_email",
            "host_visits",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.Textarea(attrs={"rows": 6}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    field_order = [
        "city", "title", "language", "main_area", "other_areas", "target_groups", "start", "end", "purpose", "actions",
        "results", "evidence", "cost", "contact", "contact_email", "links_text", "host_visits",
    ]  # fmt: skip

    def __init__(self, *args, areas: list[tuple[str, str]], cities, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields  # the concrete field classes: ChoiceField, ModelChoiceField
        fields["main_area"].choices = [("", "—")] + areas
        fields["other_areas"].choices = areas
        fields["city"].queryset = cities
        fields["city"].empty_label = None
        fields["language"].choices = settings.LANGUAGES
        fields["cost"].choices = [("", _("not stated"))] + list(Cost.choices)
        fields["city"].label = _("City")
        if not self.instance.pk:
            self.initial.setdefault("language", (get_language() or "en")[:2])
        for name in ("start", "end"):
            fields[name].widget.attrs.update({"min": YEARS[0], "max": YEARS[1]})
        fields["end"].help_text = _("Empty: still running. Years between %(low)d and %(high)d.") % {
            "low": YEARS[0],
            "high": YEARS[1],
        }
        self.fields["start"].help_text = _("The year it started, between %(low)d and %(high)d") % {
            "low": YEARS[0],
            "high": YEARS[1],
        }
        if self.instance.pk:
            self.initial.setdefault("main_area", (self.instance.areas or [""])[0])
            self.initial.setdefault("other_areas", self.instance.areas[1:])
            self.initial.setdefault("target_groups", self.instance.target_groups)
            self.initial.setdefault("links_text", "\n".join(self.instance.links))

    def clean_start(self) -> int:
        start = self.cleaned_data["start"]
        if not YEARS[0] <= start <= YEARS[1]:
            raise forms.ValidationError(
                _("Give a year between %(low)d and %(high)d.") % {"low": YEARS[0], "high": YEARS[1]}
            )
        return start

    def clean_links_text(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["links_text"].splitlines() if line.strip()]
        check = URLValidator(schemes=["http", "https"])
        for i, link in enumerate(links, start=1):
            try:
                check(link)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("Line %(line)d is not a web address (%(value)s): start it with https://.")
                    % {"line": i, "value": link[:80]}
                ) from None
        if len(links) > 10:
            raise forms.ValidationError(_("Give at most 10 links."))
        return links

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error(
                "end", _("The last year (%(end)d) is before the first (%(start)d).") % {"end": end, "start": start}
            )
        main, others = data.get("main_area"), data.get("other_areas") or []
        if main and main in others:
            others = [a for a in others if a != main]
        if len(others) > 2:
            self.add_error("other_areas", _("Choose at most two other areas (you chose %(n)d).") % {"n": len(others)})
        data["other_areas"] = others
        return data

    def apply(self) -> GoodPractice:
        """The instance with the form's values (not saved: :func:`icc.web.learning.practices.save` saves it)."""
        practice: GoodPractice = self.instance
        for name in self.Meta.fields:
            setattr(practice, name, self.cleaned_data[name])
        practice.areas = [self.cleaned_data["main_area"], *self.cleaned_data["other_areas"]]
        practice.target_groups = list(self.cleaned_data["target_groups"])
        practice.links = self.cleaned_data["links_text"]
        return practice
