"""One module per command of `reportgen`."""
