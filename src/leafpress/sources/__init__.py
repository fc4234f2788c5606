"""Where leaflet text comes from: leaflet files, and pages imported as drafts.

In: leaflet files (``leaflets/<slug>.md``: YAML front matter and Markdown),
and the WordPress posts, saved web pages and plain-text articles that
``leafpress import`` reads. Out: validated :class:`~leafpress.model.Leaflet`
objects, and draft leaflet Markdown with notes for a person to check.

- ``leaflet``: reads a leaflet file and checks its Markdown body.
- ``front_matter``: reads and validates a leaflet's front matter.
- ``importer``: ``leafpress import``: detects the format and calls its reader.
- ``html_reader``: a saved web page to a draft.
- ``wordpress_reader``: a WordPress post (JSON) to a draft.
- ``text_reader``: a plain-text article to a draft.
- ``html_tree``: parses HTML with tinyhtml5; the kinds of element.
- ``html_blocks``: an HTML tree to blocks, counting what is left out.
- ``html_faq``: FAQ blocks, ``<details>`` and definition lists to questions.
- ``blocks``: the blocks, spans and source details the readers hand the writer.
- ``inline``: text and spans to inline Markdown that stays text.
- ``writer``: blocks to the draft file: front matter and Markdown body.
"""
