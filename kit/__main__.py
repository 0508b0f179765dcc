"""``python -m kit`` runs the same command line as the ``kit`` console script."""

from kit.cli import main

raise SystemExit(main())
