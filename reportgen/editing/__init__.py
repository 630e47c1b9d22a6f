"""`reportgen edit`: the officer's YAML filled in through a page on this machine."""
