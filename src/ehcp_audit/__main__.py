"""``python -m ehcp_audit`` runs the command-line tool."""

from ._console import run

run()
