"""book/_ext/bibstyle.py: author-year labels, made unique as author-year lists do."""

from __future__ import annotations

from tool_loader import BOOK_EXT, load_book_ext


def _ext():
    return load_book_ext("bibstyle")


def test_labels_shared_by_two_entries_get_letters_in_list_order():
    labels = ["He et al. 2015", "He et al. 2016", "He et al. 2016", "Nielsen 2015"]
    assert _ext()._disambiguated(labels) == ["He et al. 2015", "He et al. 2016a", "He et al. 2016b", "Nielsen 2015"]


def test_unique_labels_are_left_alone():
    assert _ext()._disambiguated(["Glorot and Bengio 2010", "Pascanu et al. 2013"]) == [
        "Glorot and Bengio 2010",
        "Pascanu et al. 2013",
    ]


def test_the_book_bibliography_labels_are_unique():
    from pybtex.database import parse_file

    bib = parse_file(str(BOOK_EXT.parent / "references.bib"))
    module = _ext()
    entries = sorted(
        bib.entries.values(), key=lambda e: (module._names(e), e.fields.get("year", ""), e.fields["title"])
    )
    labels = list(module.AuthorYearLabels().format_labels(entries))
    assert len(set(labels)) == len(labels), labels
