"""Readers of export files: each file's content in, recognised raw rows (or a reason) out."""
