"""Start from what an officer already has: last year's report (Word, PDF or text) and the
year's 决算 tables become a YAML in the format."""
