"""Environmental command and dispatch desk."""
