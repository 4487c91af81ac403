"""Reusable pieces of the UI: layout, cards, strips, empty and loading states."""
