"""Printing: a leaflet in one language to HTML, to PDF, and back to proof.

Called by :mod:`leafpress.pipeline`. In: a :class:`~leafpress.model.Leaflet`,
its translations (the compiled catalogs) and the Jinja2 templates. Out: its
HTML and its PDF files (the reading copy and, for a booklet, the imposed
sheets), each read back and verified before it is written.

- ``compose``: leaflet and catalogs to HTML, values kept whole.
- ``accessibility``: the HTML rules a PDF/UA file needs.
- ``render``: HTML to PDF with WeasyPrint, in worker processes.
- ``sandbox``: what a render may read, and its complaints.
- ``impose``: an A5 PDF imposed as a booklet on A4.
- ``verify``: the checks that prove a PDF says what it should.
- ``readback``: a PDF opened strictly, the text of each page.
- ``pdftext``: the text runs of a page, read fast.
- ``textrun``: a run of text and where and how it is drawn.
- ``pdfsyntax``: content stream tokens, strings and numbers.
- ``pdffonts``: a page's fonts: codes, text, glyph widths.
- ``paint``: colours, geometry, clips and painted shapes.
- ``html_text``: the text of the HTML, to compare pages with.
- ``visibility``: whether a reader can see each run of text.
- ``line_breaks``: lines of running text, broken values.
- ``safety``: no made-up text, stray links or scripts.
"""
