"""Reports of a run: the JSON contract, the static HTML site, Markdown pages and the provenance graph."""
