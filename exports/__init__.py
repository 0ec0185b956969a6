"""Exports for meetings: print-quality charts (PNG, SVG, PDF) and the meeting pack (PDF, PPTX,
XLSX) of an organization's subtree, from the dashboard or the `zhtj report` command."""
