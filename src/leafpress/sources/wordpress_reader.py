"""A WordPress post to a draft leaflet (``leafpress import``, format wordpress).

Called by :func:`leafpress.sources.importer.import_source`. In: a post as
the WordPress REST API gives it (JSON, or a list of posts whose first is
taken). Out: an :class:`~leafpress.sources.writer.Imported` draft from the
post's HTML content, title, slug, dates and excerpt (or SEO description),
and notes; :class:`~leafpress.sources.blocks.ImportProblem` for JSON that
is not a post.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from leafpress.errors import Problem
from leafpress.sources.blocks import ImportProblem, Source, clean, iso_date, short
from leafpress.sources.html_blocks import HtmlBlocks, fragment_text, html_notes
from leafpress.sources.html_tree import parse_html
from leafpress.sources.inline import InlineWriter
from leafpress.sources.writer import Imported, finish


def _rendered(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("rendered", value.get("raw"))
    return value if isinstance(value, str) else ""


def import_wordpress(text: str, name: str) -> Imported:
    try:
        post = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportProblem([Problem(name, error.lineno, f"not valid JSON: "
                                     f"{error.msg} (column {error.colno})")]) from None
    except (ValueError, RecursionError) as error:
        message = "nested too deeply" if isinstance(error, RecursionError) else error
        raise ImportProblem([Problem(name, 1, f"not valid JSON: {message}")]) from None
    notes: list[str] = []
    if isinstance(post, list):
        posts = [item for item in post if isinstance(item, dict)]
        if not posts:
            raise ImportProblem([Problem(name, 1, "not a WordPress post: the JSON is "
                                         "a list without a post in it")])
        if len(post) > 1:
            notes.append(f"the file holds {len(post)} posts; imported the first")
        post = posts[0]
    if not isinstance(post, dict):
        raise ImportProblem([Problem(name, 1, "not a WordPress post: expected a JSON "
                                     "object with content.rendered")])
    content = post.get("content")
    html_text = content if isinstance(content, str) else None
    if isinstance(content, dict):
        for key in ("rendered", "raw"):
            if isinstance(content.get(key), str):
                html_text = content[key]
                break
    if html_text is None:
        missing = ("content" if "content" not in post
                   else "content.rendered (the post's HTML)")
        raise ImportProblem([Problem(name, 1, f"not a WordPress post: it has no "
                                     f"{missing}")])
    if isinstance(content, dict) and content.get("protected") is True:
        notes.append("the post is password-protected: its text may be missing")

    link = clean(post.get("link") or "") if isinstance(post.get("link"), str) else ""
    try:
        parts = urlsplit(link.strip())
        base = link.strip() if parts.scheme in ("http", "https") and parts.netloc \
            else None
    except ValueError:
        base = None
    if link and base is None:
        notes.append(f"the post's link {short(link)!r} is not a web address; "
                     "relative links were dropped")
    source = Source("wordpress", link=base)
    lang = re.match(r"/([a-z]{2})(?:[-_][a-z]{2})?/", urlsplit(base).path) if base \
        else None
    if lang and lang[1] != "en":
        notes.append(f"the post seems to be in language {lang[1]!r} (from its "
                     "link): leaflets are written in English and translated; "
                     "translate the text or use it for the translation")
    source.title = fragment_text(_rendered(post.get("title")))
    source.slug = clean(post.get("slug")) if isinstance(post.get("slug"), str) else ""
    source.published = iso_date(post.get("date"))
    source.modified = iso_date(post.get("modified"))
    excerpt = fragment_text(_rendered(post.get("excerpt")))
    if excerpt:
        source.summary, source.summary_from = excerpt, "post's excerpt"
    else:
        meta = post.get("meta") if isinstance(post.get("meta"), dict) else {}
        yoast = (post.get("yoast_head_json")
                 if isinstance(post.get("yoast_head_json"), dict) else {})
        for where, key in ((meta, "rank_math_description"),
                           (meta, "_yoast_wpseo_metadesc"),
                           (meta, "yoast_wpseo_metadesc"), (meta, "description"),
                           (yoast, "description"), (yoast, "og_description")):
            value = where.get(key)
            if isinstance(value, str) and value.strip():
                source.summary = fragment_text(value)
                source.summary_from = (f"SEO description "
                                       f"({'meta' if where is meta else 'yoast'}"
                                       f".{key})")
                break

    writer = InlineWriter()
    html = HtmlBlocks(writer, base, page=False)
    document = parse_html("<!DOCTYPE html><html><head></head><body>" + html_text)
    body = document.find("body")
    root = body if body is not None else document
    html.prepare(root)
    blocks = html.blocks(root)
    html_notes(html, notes)
    empty = "the post has no content" if not html_text.strip() else None
    return finish(source, blocks, name, writer, notes, empty)
