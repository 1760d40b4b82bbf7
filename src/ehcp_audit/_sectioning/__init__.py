"""Internal parts of the sectionizer (:mod:`ehcp_audit.sections`).

``_rules`` loads ``rules/sections.toml``; ``_match`` decides whether one line
of text names a section. Neither knows about documents or tables.
"""
