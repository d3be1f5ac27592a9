"""Open data made at build time from the typed reports: downloads, the portal dataset, trends,
roll-ups and the compliance view. Nothing here imports MkDocs; the plugin writes what
``site_files`` lists as static files of the site.
"""
