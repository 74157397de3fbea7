"""The monitoring network as data, shared by the data service and the desk: pure, no I/O."""
