"""Every word a person reads, in Japanese and English, and the language of the run.

`lang` (the two languages and the run's language), `catalog` (the words by audience, read once
from the TOML files beside it: common, staff, checks, consultant, errors) and `core` (`say` a
key in a language, a `Phrase` put into words later, lists and counts). The package imports
nothing else of sheets-sync but `util/`, the helpers that know nothing of it.
"""
