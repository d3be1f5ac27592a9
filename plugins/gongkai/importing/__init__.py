"""Import published reports (text, HTML, Word) into the commented YAML, numbers kept as published.

Every reader turns its source into one intermediate (``source.Source``: paragraphs of cells);
``tables`` then walks the format declaration to pick the numbers and ``document`` finds the
sections, the narrative and the agency, year and publication date.
"""
