"""The template: a bureau's outline, wording, settings and look, the input beside a department's YAML."""
