"""Review: a second linguist's revision and the clinician's sign-off,
recorded beside the catalogs and bound to the text they approved.

In: the messages a leaflet prints in a language (source, translation and
``po:line``), and ``locales/<lang>/LC_MESSAGES/<domain>.review.toml``. Out:
the review state of each leaflet-language (what is revised, whether the
text as it is now is signed off, what is missing), new records, and the
bilingual review sheet.

- ``records``: the records file, read and written, and the hashes that bind
  each record to its text;
- ``state``: what the policy (``[review] require``) still asks for;
- ``sheet``: the review sheet (HTML, and a PDF for paper), with ``sheet.html``.
"""
