"""Moviebook: a movie reservation web app built with Reflex."""
