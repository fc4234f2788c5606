"""Text: what a message says, as every stage reads it.

In: the text of a message (inline Markdown, in any language). Out: its parts
and its facts, read the same way by the checks, the lint, composing and
verifying.

- ``markup``: leafpress's Markdown dialect (CommonMark, tables, questions and
  answers), inline markup and plain text;
- ``facts``: the numbers, doses, units, phone numbers, links and markup in a
  text, in the conventions of its language;
- ``values``: the values a reader copies (phone numbers, doses, dates) that
  must stay whole on one line, and their direction in right-to-left text.
"""
