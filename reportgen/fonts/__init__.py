"""The fonts this machine has for each part of the document: found once, used by validate,
by both writers, and by `reportgen fonts` and `doctor`."""
