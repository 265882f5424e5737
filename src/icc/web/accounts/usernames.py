"""One rule for telling user names apart: names that are the same to a reader are the same name.

Full-width letters ("ｏｓｌｏ"), ligatures and other compatibility forms (NFKC) and case (casefold) do not make
another user. Stored user names are kept in this form (``User.normalize_username``), the sign-in looks users up
by it (``signin.UserNameBackend``) and the limits on failed sign-ins count by it (``signin.user_name_for_limits``).
"""

from __future__ import annotations

import unicodedata


def normalise_name(name: str) -> str:
    """The form in which a user name is stored, looked up and counted.

    >>> normalise_name("ＯＳＬＯ") == normalise_name("Oslo") == "oslo"
    True
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    return unicodedata.normalize("NFKC", folded).strip()
