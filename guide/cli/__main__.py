"""Run the `guide` command as `python -m guide.cli`."""

from guide.cli import main

main()
