"""The build report: ``build/report.html``, one page for whoever answers for
the leaflets (a clinic manager, the clinician who owns the content).

In: what the lint and the translation status found of each leaflet in each
language, and the PDFs in ``build/pdf/``. Out: the page, with thumbnails in
``build/report/``.

- ``rows``: one leaflet in one language, and what its row says;
- ``pdfs``: page counts and first-page thumbnails, cached;
- ``page``: the HTML page (``report.html``), with no script and nothing
  loaded from the network, made of one section per leaflet
  (``section.html``), each kept in ``build/report/sections/`` while
  nothing it shows changed.
"""
