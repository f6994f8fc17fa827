"""letta_nb.words: the one plural and the one shorten every display, widget and message uses. Fast tier."""

from letta_nb.words import plural, shorten


def test_plural():
    assert [plural(n, "block") for n in (0, 1, 2)] == ["0 blocks", "1 block", "2 blocks"]
    assert plural(2, "identity", "identities") == "2 identities" and plural(1, "identity", "identities") == "1 identity"
    assert plural(2000, "message") == "2000 messages", "no thousands separator unless asked"
    assert plural(1024, "char", spec=",") == "1,024 chars"


def test_shorten():
    assert shorten("abcdef", 6) == "abcdef"
    assert shorten("abcdefg", 6) == "abcde…" and len(shorten("x" * 500, 200)) == 200
    assert shorten("a  b\nc", 10) == "a  b\nc", "whitespace is kept unless one_line"
    assert shorten(" a  b\n\tc ", 10, one_line=True) == "a b c"
    assert shorten("one two three", 8, one_line=True) == "one two…"
