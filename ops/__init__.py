"""Running an installation for years: backup, restore and the health check (zhtj doctor)."""
