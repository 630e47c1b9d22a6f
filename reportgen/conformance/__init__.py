"""`check-layout`: any PDF or Word file measured against GB/T 9704-2012, rule by rule."""
