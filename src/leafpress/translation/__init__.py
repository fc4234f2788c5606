"""Translation: from the leaflets to catalogs, and from catalogs to translators.

In: the leaflets and the Jinja2 templates, and the translators' ``.po`` files
under ``locales/``. Out: ``.pot`` templates, merged ``.po`` files, compiled
``.mo`` files under ``build/mo/``, and translators that never fall back.

- ``extract``: leaflets and templates to ``.pot`` templates;
- ``pofile``: reading a ``.po`` file any tool wrote, as GNU gettext reads it;
- ``layout``: leafpress's one ``.po`` layout, the bytes written for a catalog;
- ``catalogs``: checking a ``.po``, compiling it to a ``.mo``, the translator;
- ``update``: merging templates into ``.po`` files without losing a translation;
- ``changes``: what kind of change an edit of the source made to a message;
- ``plurals``: the plural rule of each language and its ``Plural-Forms`` header.
"""
