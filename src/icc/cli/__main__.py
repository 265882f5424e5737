"""``python -m icc.cli``: the ``icc`` command."""

from icc.cli import main

main()
