"""leafpress: print patient leaflets in many languages.

Clinic staff write leaflets as Markdown in ``leaflets/``; their text is pulled
into gettext catalogs in ``locales/``; translators edit ``.po`` files; Jinja2
templates lay the translated text out as HTML; WeasyPrint prints it to PDF; and
pypdf reads every PDF back to prove it says what the catalogs say.

The stages, one module each: :mod:`leafpress.sources.leaflet` (leaflet files to
:class:`~leafpress.model.Leaflet`), :mod:`leafpress.translation.extract` (leaflets and
templates to ``.pot``), :mod:`leafpress.translation.catalogs` (``.pot`` to ``.po`` to
``.mo``, fail closed), :mod:`leafpress.printing.render` (leaflet and catalog to HTML and
PDF), :mod:`leafpress.printing.verify` (PDF back to facts) and :mod:`leafpress.pipeline`
(the batch that strings them together).
"""

__version__ = "0.1.0"
