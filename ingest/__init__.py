"""Parsers of plan documents (text, HTML, CSV/XLSX, PDF) into PlanDocument records."""
