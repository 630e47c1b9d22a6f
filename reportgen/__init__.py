"""reportgen: a department's annual performance self-evaluation, from YAML to Word and PDF."""

__version__ = "0.1.0"
