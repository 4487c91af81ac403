"""The look of the app in one place: a dark auditorium with marquee-amber accents."""

import reflex as rx

ACCENT = "amber"

app_theme = rx.theme(
    appearance="dark",
    accent_color=ACCENT,
    gray_color="sand",
    radius="medium",
    scaling="100%",
)

global_style = {
    "font_family": "'Inter', 'DejaVu Sans', system-ui, sans-serif",
    "body": {"background": "var(--gray-1)"},
}

# Posters keep the film-industry 2:3 ratio everywhere they appear.
POSTER_RATIO = "2 / 3"

# Read by screen readers, not drawn: live announcements, and names the layout shows otherwise.
VISUALLY_HIDDEN = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "padding": "0",
    "margin": "-1px",
    "overflow": "hidden",
    "clip": "rect(0, 0, 0, 0)",
    "white_space": "nowrap",
    "border": "0",
}

# High contrast: <html data-contrast="more"> switches the tokens of assets/accessibility.css
# ("High contrast"). A moviegoer's choice is kept in localStorage; without one the system's
# `prefers-contrast: more` decides (and a change of it applies at once). This runs in <head>,
# before the page is painted, so a stored choice never flashes the standard theme first; it also
# gives the toggles what they need (window.moviebookContrast: set, toggle, subscribe).
CONTRAST_STORAGE_KEY = "mb_contrast"
CONTRAST_HEAD_SCRIPT = """
(() => {
  const root = document.documentElement, key = 'KEY';
  const system = window.matchMedia('(prefers-contrast: more)');
  const stored = () => { try { return localStorage.getItem(key); } catch (e) { return null; } };
  const apply = () => {
    const choice = stored();
    root.dataset.contrast = choice === 'more' || (choice !== 'standard' && system.matches) ? 'more' : 'standard';
  };
  apply();
  system.addEventListener('change', apply);
  window.addEventListener('storage', (e) => { if (e.key === key) apply(); });  // another tab chose
  window.moviebookContrast = {
    set(on) {
      try { localStorage.setItem(key, on ? 'more' : 'standard'); } catch (e) { /* private mode: this page only */ }
      apply();
      if (stored() === null) root.dataset.contrast = on ? 'more' : 'standard';
    },
    toggle() { this.set(root.dataset.contrast !== 'more'); },
    subscribe(changed) {
      const watch = new MutationObserver(changed);
      watch.observe(root, {attributes: true, attributeFilter: ['data-contrast']});
      return () => watch.disconnect();
    },
  };
})();
""".replace("KEY", CONTRAST_STORAGE_KEY)


def contrast_head_script() -> rx.Component:
    """For rx.App(head_components=...): a plain <script> in the prerendered <head>."""
    return rx.el.script(CONTRAST_HEAD_SCRIPT)


# Whether high contrast is on, as a React value that follows <html data-contrast> (a
# useSyncExternalStore on the attribute): false while prerendering and hydrating, then the truth.
HIGH_CONTRAST = rx.Var(
    "highContrast",
    _var_type=bool,
    _var_data=rx.vars.VarData(
        hooks={
            "const highContrast = useSyncExternalStore("
            "(changed) => window.moviebookContrast?.subscribe(changed) ?? (() => {}), "
            "() => document.documentElement.dataset.contrast === 'more', () => false)": None
        },
        imports={"react": [rx.ImportVar(tag="useSyncExternalStore")]},
    ),
)
# Switches it, in the browser alone: nothing goes to the server.
TOGGLE_CONTRAST = rx.Var("(() => window.moviebookContrast?.toggle())").to(rx.vars.FunctionVar, rx.event.EventChain)
