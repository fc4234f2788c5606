"""leafpress: print patient leaflets in many languages.

Clinic staff write leaflets as Markdown in ``leaflets/``; their text is pulled
into gettext catalogs in ``locales/``; translators edit ``.po`` files; Jinja2
templates lay the translated text out as HTML; WeasyPrint prints it to PDF; and
pypdf reads every PDF back to prove it says what the catalogs say.

The folders are the pipeline, in the order the data flows:

- :mod:`leafpress.sources`: leaflet files (and imported web pages) in,
  :class:`~leafpress.model.Leaflet` objects out;
- :mod:`leafpress.translation`: leaflets and templates to ``.pot``, merged
  ``.po`` files, compiled ``.mo`` files, translators that never fall back;
- :mod:`leafpress.quality`: the quality gates (lint, readability) and the
  translation checks;
- :mod:`leafpress.review`: a second linguist's revision and the clinician's
  sign-off, bound to the text they approved;
- :mod:`leafpress.printing`: compose HTML, print it to PDF in workers, read the
  PDF back and verify it;
- :mod:`leafpress.report`: ``build/report.html``;
- :mod:`leafpress.pipeline`: one orchestration per command, over one snapshot
  of the project;
- :mod:`leafpress.cli`: the ``leafpress`` command.

Beneath them: :mod:`leafpress.settings` (``leafpress.toml`` and clinic
folders), :mod:`leafpress.text` (inline Markdown, the facts in a text, values
kept whole), and :mod:`leafpress.model`, :mod:`leafpress.errors`,
:mod:`leafpress.output`, :mod:`leafpress.versions`. The layers are an
import-linter contract (``[tool.importlinter]`` in ``pyproject.toml``).
"""

__version__ = "0.1.0"
