"""Values, secrets, property paths and references, without a server."""

from __future__ import annotations

import pickle

import pytest

from openesc import InvalidError, Secret, from_value, parse_path, parse_ref, reveal
from openesc._path import MISSING, value_at
from openesc.v1.value_pb2 import Value


def test_secret_prints_redacted_and_reveals() -> None:
    s = Secret("hunter2")
    for text in (str(s), repr(s), f"{s}", f"{s!r}", "%s" % s, format(s, ">10"), str([s]), str({"k": s})):
        assert "hunter2" not in text
        assert "[secret]" in text
    assert s.reveal() == "hunter2"
    assert reveal({"a": [Secret({"b": Secret(1)})], "c": "x"}) == {"a": [{"b": 1}], "c": "x"}
    with pytest.raises(TypeError):
        pickle.dumps(s)


def test_from_value_maps_every_kind() -> None:
    v = Value()
    f = v.object_value.fields
    f["n"].null_value = 0
    f["b"].bool_value = True
    f["i"].number_value = "42"
    f["x"].number_value = "-1.5e3"
    f["s"].string_value = "x"
    f["l"].list_value.values.add().string_value = "y"
    f["p"].string_value = "pw"
    f["p"].secret = True
    f["w"].secret = True
    native = from_value(v)
    assert isinstance(native, dict)
    assert reveal(native) == {"b": True, "i": 42, "l": ["y"], "n": None, "p": "pw", "s": "x", "w": None, "x": -1500.0}
    assert isinstance(native["i"], int)
    assert isinstance(native["p"], Secret)


@pytest.mark.parametrize(
    ("text", "path"),
    [("db.password", ["db", "password"]), ("hosts[0]", ["hosts", 0]), ('a["b.c"]', ["a", "b.c"]), ('["x"].y', ["x", "y"]), ('a["q\\"uote"]', ["a", 'q"uote']), ("", [])],
)
def test_parse_path(text: str, path: list[object]) -> None:
    assert parse_path(text) == path


@pytest.mark.parametrize(
    ("text", "why"),
    [(".a", "unexpected '.' at column 1"), ("a..b", "expected a property name at column 3"), ("a[x]", "expected an index or a quoted key at column 3"),
     ('a["b', "unterminated string at column 5"), ("a[0", "expected ']' at column 4")],
)
def test_parse_path_refuses(text: str, why: str) -> None:
    with pytest.raises(InvalidError) as e:
        parse_path(text)
    assert e.value.message == f'invalid property path "{text}": {why}'


def test_value_at_keeps_secrecy() -> None:
    root = {"db": Secret({"password": "pw"}), "hosts": ["a", "b"]}
    assert value_at(root, "hosts[1]") == "b"
    assert value_at(root, "hosts[2]") is MISSING
    pw = value_at(root, "db.password")
    assert isinstance(pw, Secret)
    assert pw.reveal() == "pw"


def test_parse_ref() -> None:
    assert str(parse_ref("acme/app/prod@12")) == "acme/app/prod@12"
    assert parse_ref("app/prod", "acme").org == "acme"
    for bad in ("app/prod", "a/b/c/d", "a/b/c@", "a/b c/d"):
        with pytest.raises(InvalidError):
            parse_ref(bad)
