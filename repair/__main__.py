"""``python -m repair``: the same as the ``repair`` command."""

from .cli import main

main()
