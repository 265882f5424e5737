"""How pages write a moment: in the page language's format, in the site's time zone (``TIME_ZONE``), named.

``{{ moment|when }}`` gives "Dec. 5, 2026, 3:24 a.m. CET" on an English page and "5 décembre 2026 03:24 CET" on a
French one; ``{{ day|day }}`` a date alone ("Dec. 5, 2026", "5 décembre 2026"). Downloads write moments in ISO 8601
UTC instead (:func:`icc.web.results.views.downloaded_at`, the audit log).
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def when(value: datetime | None) -> str:
    """A moment in the page language's format and the site's time zone, with the zone's name."""
    if not isinstance(value, datetime):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{date_format(local, 'DATETIME_FORMAT')} {local.tzname() or ''}".strip()


@register.filter
def day(value: date | None) -> str:
    """A date in the page language's format."""
    if not isinstance(value, date):
        return ""
    return date_format(value, "DATE_FORMAT")
