"""The dashboard's static files (Bootstrap theme, icon fonts, app CSS, translations)."""
