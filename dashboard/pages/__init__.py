"""The pages, one module each: `layout(store, ctx)`, `tree_color(ctx)` and `register(app,
store)`. The keys are the view's page names (dashboard/view.py).

Scope, reveal and audit come with the request, never from registration: every read goes through
`context.resolve` (which refuses an organization outside the account's subtree), a grid's
`present(frame, lang, *, reveal)` is given `ctx.reveal`, and every file handed to the user is
recorded with `access.audit_download(ctx, ...)` (grids.download does it for the lists)."""

from dashboard.pages import (cadres, dues, overview, progress, quality, registration,
                             transfers)

PAGES = {"overview": overview, "registration": registration, "transfers": transfers,
         "cadres": cadres, "dues": dues, "quality": quality, "progress": progress}
