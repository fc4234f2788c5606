"""Quality: the checks a leaflet and its translations pass before printing.

In: a :class:`~leafpress.model.Leaflet`, its text in a language, and each
translated message beside its source. Out: findings, each naming its rule and
its place (path and line), and the readability scores of each language.

- ``lint``: runs the lint rules on a leaflet and on its text in a language;
- ``rules``: the table of lint rules, their levels, the ``[lint]`` settings
  and :class:`~leafpress.quality.rules.Finding`;
- ``leaflet_text``: a leaflet as units of text (blocks, with their section,
  list or table, and place), which every lint rule reads;
- ``sections``: the sections a leaflet's type needs, and risk frequencies;
- ``claims``: guarantees, unsourced figures and cures, superlatives, calls to
  action and prices;
- ``typed_contacts``: emergency numbers, phone numbers and e-mail addresses
  typed into the text instead of placeholders;
- ``readability``: sentences, syllables and the reading-ease score of each
  language;
- ``glossary``: the clinic's terms (``locales/<lang>/glossary.csv``):
  required, forbidden and kept words in every translated message;
- ``checks``: the translation checks (placeholders, markup, links and numbers
  between a source message and its translation).
"""
