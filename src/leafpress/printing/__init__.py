"""Printing: a leaflet in one language to HTML, to PDF, and back to proof.

Called by :mod:`leafpress.pipeline`. In: a :class:`~leafpress.model.Leaflet`,
its translations (the compiled catalogs) and the Jinja2 templates. Out: its
HTML and its PDF files (the reading copy and, for a booklet, the imposed
sheets), each read back and verified before it is written.

- :mod:`~leafpress.printing.compose`: leaflet and catalogs to HTML, values kept whole.
- :mod:`~leafpress.printing.accessibility`: the HTML rules a PDF/UA file needs.
- :mod:`~leafpress.printing.render`: HTML to PDF with WeasyPrint, in worker processes.
- :mod:`~leafpress.printing.sandbox`: what a render may read, and its complaints.
- :mod:`~leafpress.printing.impose`: an A5 PDF imposed as a booklet on A4.
- :mod:`~leafpress.printing.verify`: the checks that prove a PDF says what it should.
- :mod:`~leafpress.printing.readback`: a PDF opened strictly, the text of each page.
- :mod:`~leafpress.printing.pdftext`: the text runs of a page, read fast.
- :mod:`~leafpress.printing.textrun`: a run of text and where and how it is drawn.
- :mod:`~leafpress.printing.pdfsyntax`: content stream tokens, strings and numbers.
- :mod:`~leafpress.printing.pdffonts`: a page's fonts: codes, text, glyph widths.
- :mod:`~leafpress.printing.paint`: colours, geometry, clips and painted shapes.
- :mod:`~leafpress.printing.html_text`: the text of the HTML, to compare pages with.
- :mod:`~leafpress.printing.visibility`: whether a reader can see each run of text.
- :mod:`~leafpress.printing.line_breaks`: lines of running text, broken values.
- :mod:`~leafpress.printing.safety`: no made-up text, stray links or scripts.
"""
