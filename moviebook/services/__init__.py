"""Domain rules. Plain functions over a SQLModel session (and Redis); no Reflex imports here."""
