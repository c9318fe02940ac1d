r"""Learner text as safe HTML: plain text as typed, or a Markdown subset and nh3.

Plain text unless a field is declared Markdown.

What a learner types is plain text: ``5*3*2``, ``\\council\share`` and a typed ``&lt;``
must read exactly as typed, so :func:`plain` escapes it and keeps its line breaks.
:func:`rich` is for a field declared Markdown: links, images, headings and raw HTML are
switched off in the parser, so ``[x](javascript:...)`` stays literal text; nh3 then
removes anything outside the allow-list all the same, because a second wall costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..confidentiality.names import KeepOutMatcher, keep_out_matcher

#: Tags a learner's text may produce; nothing that loads, links or runs.
ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "s", "ul", "ol", "li", "blockquote", "code", "pre", "hr"}
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"ol": {"start"}}
WITHHELD = "[name withheld]"


@cache
def _markdown() -> MarkdownIt:
    # "js-default" escapes raw HTML; the rules below would otherwise make links, images
    # and headings (which would break the report's own outline).
    md = MarkdownIt("js-default", {"breaks": True})
    md.disable(["link", "image", "autolink", "heading", "lheading", "table", "html_block"])
    return md


def withhold(text: str, names: Iterable[str] | KeepOutMatcher = ()) -> str:
    """``text`` with every name the learner must keep out replaced by a marker."""
    # The scanner's own matcher ("Mrs Edith Marlowe", "Edith Marlowe", "Ms Marlowe",
    # "E. Marlowe"...; clear names or their keyed hashes), so the report withholds every
    # form the scanner finds.
    matcher = keep_out_matcher(names if isinstance(names, KeepOutMatcher) else tuple(names))
    if not matcher:
        return text
    if len(text) <= _MEMO_LONGEST:
        return _withheld(text, matcher)
    return matcher.withhold(text, WITHHELD)


#: A report repeats its short strings (labels, criterion titles, statuses) thousands of
#: times: each is searched for names once per matcher.
_MEMO_LONGEST = 2000


@lru_cache(maxsize=8192)
def _withheld(text: str, matcher: KeepOutMatcher) -> str:
    return matcher.withhold(text, WITHHELD)


def plain(text: str, names: Iterable[str] = ()) -> Markup:
    """Escaped HTML of a learner's plain text, names withheld; line breaks kept by CSS.

    The text is shown in an element styled ``white-space: pre-wrap`` (class ``plain``), so
    spaces and line breaks read as typed and nothing in it is interpreted.
    """
    return Markup('<p class="plain">{}</p>').format(withhold(text.strip("\n"), names))


def rich(text: str, names: Iterable[str] = ()) -> Markup:
    """Sanitised HTML of a learner's Markdown text, names withheld."""
    html = _markdown().render(withhold(text, names))
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )
    return Markup(cleaned)  # safe: nh3's output under the allow-list above
