"""The cases desk: opening, editing, the workflow, dispatch, closure, notes, the queue.

Each module holds one concern as a mixin of the ``Desk`` facade (``cases.facade``); every
write goes through the unit of work (``dispatch_app.desk.unit_of_work``).
"""

from dispatch_app.desk.cases.facade import Desk

__all__ = ["Desk"]
