"""The catalogue's listing engine: product lists, searched or not, a page of cards at a time."""
