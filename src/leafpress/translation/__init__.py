"""Translation: from the leaflets to catalogs, and from catalogs to translators.

In: the leaflets and the Jinja2 templates, and the translators' ``.po`` files
under ``locales/``. Out: ``.pot`` templates, merged ``.po`` files, compiled
``.mo`` files under ``build/mo/``, and translators that never fall back.

- ``extract``: leaflets and templates to ``.pot`` templates;
- ``pofile``: reading a ``.po`` file any tool wrote, as GNU gettext reads it;
- ``layout``: the one ``.po`` layout, GNU ``msgcat``'s, the bytes written for
  a catalog (with ``wrapping``, gettext's line breaking);
- ``catalogs``: checking a ``.po``, compiling it to a ``.mo``, the translator;
- ``update``: merging templates into ``.po`` files without losing a translation,
  and filling new messages from the memory;
- ``memory``: translation memory from every catalog of a language, and TMX;
- ``xliff``: catalogs to and from XLIFF 1.2, for agencies' CAT tools;
- ``changes``: what kind of change an edit of the source made to a message;
- ``plurals``: the plural rule of each language and its ``Plural-Forms`` header.
"""
