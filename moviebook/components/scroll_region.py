"""A box that scrolls (a wide table on a phone, a long report) and that a keyboard can reach:
it takes focus (Tab, then the arrow keys scroll it) and is named for screen readers.

Radix's tables scroll inside a viewport of their own; within a scroll region that viewport is
told not to (assets/accessibility.css), so there is one scroller and it is the focusable one.
"""

import reflex as rx


def scroll_region(*children: rx.Component, label, role: str = "region", **props) -> rx.Component:
    """``label`` names the region (a str or a Var); pass ``role="group"`` inside something that is
    already a region of that name. Sizes and overflow may be overridden through ``props``."""
    return rx.box(
        *children,
        class_name="scroll-region",
        tab_index=0,
        role=role,
        aria_label=label,
        **{"overflow_x": "auto", "width": "100%", **props},
    )
