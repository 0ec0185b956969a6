"""The pages, one module each: `layout(store, ctx)`, `tree_color(ctx)` and `register(app, store,
reveal=...)`. The keys are the view's page names (dashboard/view.py)."""

from dashboard.pages import cadres, dues, overview, quality, registration, transfers

PAGES = {"overview": overview, "registration": registration, "transfers": transfers,
         "cadres": cadres, "dues": dues, "quality": quality}
