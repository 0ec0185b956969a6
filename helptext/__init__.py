"""What every figure of the app means, as data: one TOML file per topic in helptext/topics/, each
entry in Chinese and English (definition, an example with numbers, what an operator does), plus
the parts that come from the loaded database (the entry-scope rules and the dues standard the
load applied, the campaign in force). The Help page and the `?` beside every card and chart title
read them here; nothing here knows Dash."""

from helptext.entries import Entry, entries, entry, for_title_key
from helptext.search import search

__all__ = ["Entry", "entries", "entry", "for_title_key", "search"]
