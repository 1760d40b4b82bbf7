"""Reports: render a :class:`~ehcp_audit.PlanAudit` for people and programs.

Internal; the public entry points are re-exported from ``ehcp_audit``.
"""
