"""The public HTTP API (``/api/v1``): a thin transport over the same services as the pages.

Imports run one way: ``api → services → models``. Nothing here imports Reflex state; the live
seat maps learn of API holds and sales through the same Redis relay (``services/holds``).
"""
