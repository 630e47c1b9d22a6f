"""The Word file: python-docx's document set to the official layout, its package finished as
Word and WPS expect."""
