"""``python -m relextract`` = the ``relextract`` command."""

from relextract.cli import main

main()
