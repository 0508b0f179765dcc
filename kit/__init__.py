"""Customer-service quality kit: the helper package behind the notebooks.

Every computation, loader, chart, widget and runner of the kit lives here; the notebooks in
``notebooks/`` only call it and narrate.  See ``README.md`` for the two commands that set
everything up (``make demo`` and ``make test``).
"""

__version__ = "0.1.0"

from kit.core.errors import DataError, KitError, ParameterError, RunError, WorkspaceError

__all__ = ["KitError", "DataError", "ParameterError", "RunError", "WorkspaceError", "__version__"]
