"""The password policy of SW-2: 8-16 characters, at least three of four classes."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolvers.core.passwords import meets_policy

pytestmark = pytest.mark.req("SW-2", "SW-6")

CLASSES = (string.ascii_uppercase, string.ascii_lowercase, string.digits, string.punctuation)


@given(
    st.data(),
    st.integers(min_value=8, max_value=16),
    st.sampled_from([(0, 1, 2), (0, 1, 3), (1, 2, 3), (0, 2, 3)]),
)
def test_three_classes_of_the_right_length_pass(
    data: st.DataObject, length: int, chosen: tuple[int, ...]
) -> None:
    required = [data.draw(st.sampled_from(CLASSES[i])) for i in chosen]
    alphabet = "".join(CLASSES[i] for i in chosen)
    rest = data.draw(st.text(alphabet=alphabet, min_size=length - 3, max_size=length - 3))
    assert meets_policy("".join(required) + rest)


@given(
    st.sampled_from(CLASSES),
    st.sampled_from(CLASSES),
    st.integers(min_value=8, max_value=16),
    st.data(),
)
def test_two_classes_fail(first: str, second: str, length: int, data: st.DataObject) -> None:
    password = data.draw(st.text(alphabet=first + second, min_size=length, max_size=length))
    assert not meets_policy(password)


@pytest.mark.parametrize("password", ["Ab1!", "Ab1!" * 5, "Abc 12345", "密码Abc12345"])
def test_length_and_characters(password: str) -> None:
    assert not meets_policy(password)
