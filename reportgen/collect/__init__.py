"""The bureau's side: every department's report gathered, re-checked against the bureau's own
template, and laid side by side in one workbook."""
