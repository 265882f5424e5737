"""Values every page template may use."""

from __future__ import annotations

from django.http import HttpRequest

import icc


def version(request: HttpRequest) -> dict[str, str]:
    """The platform's version (one source: the package metadata), shown in every page's footer."""
    return {"ICC_VERSION": icc.__version__}
