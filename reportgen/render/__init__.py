"""Writing the document tree: Word, HTML and PDF in the official layout, and the fonts for them."""
