"""Reading a department's file: YAML with positions, the input models, the problems found."""
