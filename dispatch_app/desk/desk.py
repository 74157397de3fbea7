"""The desk: every use case the UI calls, free of Qt.

``Desk`` is the facade of the cases desk (``dispatch_app.desk.cases``); this module keeps the
import path the UI and the other desks use.
"""

from dispatch_app.desk.cases.facade import Desk

__all__ = ["Desk"]
