"""A bibliography whose labels read like the citations in the text: "Nielsen 2015", "Glorot and
Bengio 2010", "Pascanu et al. 2013" (the text cites author-year; pybtex's own styles label the
list with numbers or alpha codes such as [DPG+14]).  Registered as the pybtex style
``authoryear``, which ``_config.yml`` makes the default (``bibtex_default_style``).
"""

from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle


def _names(entry) -> str:
    """Last names as the text cites them: one, two joined by "and", or the first "et al."."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    last = [" ".join(p.last_names).replace("{", "").replace("}", "") for p in people]
    if not last:
        return entry.fields.get("title", "Anon.")[:30]
    if len(last) == 1:
        return last[0]
    if len(last) == 2:
        return f"{last[0]} and {last[1]}"
    return f"{last[0]} et al."


def _disambiguated(labels: list[str]) -> list[str]:
    """Labels made unique as author-year lists do: two "He et al. 2016" become "He et al. 2016a" and
    "He et al. 2016b", in the list's order; a label used once is left as it is."""
    count = {label: labels.count(label) for label in labels}
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        if count[label] == 1:
            out.append(label)
            continue
        out.append(label + "abcdefghijklmnopqrstuvwxyz"[seen.get(label, 0)])
        seen[label] = seen.get(label, 0) + 1
    return out


class AuthorYearLabels(BaseLabelStyle):
    """Labels "<names> <year>", with a letter after the year where two entries would share one."""

    def format_labels(self, sorted_entries):
        labels = [f"{_names(entry)} {entry.fields.get('year', 'n.d.')}" for entry in sorted_entries]
        yield from _disambiguated(labels)


class AuthorYearStyle(UnsrtStyle):
    """pybtex's unsrt formatting with author-year labels, sorted by author and year."""

    default_label_style = AuthorYearLabels
    default_sorting_style = "author_year_title"


def setup(app):
    register_plugin("pybtex.style.labels", "authoryear", AuthorYearLabels)
    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
