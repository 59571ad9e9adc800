"""Evidence for commissioners and inspectors: measures, charts, PDF, FHIR and report pages.

The measures (:mod:`kinwise.reports.measures`), the person's evidence
(:mod:`kinwise.reports.evidence`) and the FHIR export (:mod:`kinwise.reports.fhir`) are
pure Python over case files; the pages and the PDF are the Django and WeasyPrint layer.
"""
