"""The PDF: the document tree as HTML and CSS, laid out by WeasyPrint with Chinese line setting,
written as PDF/A-3."""
