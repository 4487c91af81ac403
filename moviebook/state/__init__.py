"""Reflex State classes: thin. Read the caller, validate input, call a service, fill vars."""
