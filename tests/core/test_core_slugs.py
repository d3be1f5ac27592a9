"""Agency codes from Chinese names: readable, stable, URL-safe, bounded and collision-free."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.model import SLUG_PATTERN
from gongkai.slugs import MAX_LENGTH, slug_for


@pytest.mark.parametrize(("name", "slug"), [
    ("示例区人民政府", "shili-qu"),
    ("示范镇人民政府", "shifan-zhen"),
    ("上海市人民政府办公厅", "shanghai-shi-bgt"),
    ("示范区市场监督管理局", "shifan-qu-scjdglj"),
    ("平潭综合实验区君山镇人民政府", "pingtanzhsy-qu-junshan-zhen"),
    ("北京市朝阳区三里屯街道办事处", "beijing-shi-zhaoyang-qu-sanlitun-jiedao"),
    ("示例区人民政府（本级）", "shili-qu"),
    ("  示例区 人民政府 ", "shili-qu"),
    ("ＸＸ大学", "xxdx"),
])
def test_a_name_gives_a_readable_code(name: str, slug: str) -> None:
    assert slug_for(name) == slug


def test_a_taken_code_gets_the_next_free_number() -> None:
    assert slug_for("示例区人民政府", {"shili-qu"}) == "shili-qu-2"
    assert slug_for("示例区人民政府", {"shili-qu", "shili-qu-2"}) == "shili-qu-3"
    assert slug_for("示例区人民政府", {"other"}) == "shili-qu"


def test_a_name_without_anything_spellable_still_gets_a_code() -> None:
    assert SLUG_PATTERN.match(slug_for("（）…"))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("示例区市县镇乡街道人民政府办公室局委员会平潭长重朝阳ABCxyz019 -（）·"), max_size=60),
       st.sets(st.text(alphabet="abcqushi-2", min_size=1, max_size=12), max_size=5))
def test_every_code_is_url_safe_bounded_stable_and_free(name: str, taken: set[str]) -> None:
    slug = slug_for(name, taken)
    assert SLUG_PATTERN.match(slug) and len(slug) <= MAX_LENGTH
    assert slug not in taken
    assert slug_for(name, taken) == slug


def test_the_dictionaries_are_released_and_the_codes_stay_the_same() -> None:
    import sys

    from gongkai.slugs import release_dictionaries

    names = ["示例区人民政府", "重庆市长寿区人民政府", "朝阳区市场监督管理局", "平潭综合实验区君山镇人民政府"]
    before = [slug_for(name) for name in names]
    assert "pypinyin" in sys.modules
    release_dictionaries()
    assert not [name for name in sys.modules if name.split(".")[0] == "pypinyin"]
    assert [slug_for(name) for name in names] == before  # imported again, the same codes
    assert "pypinyin" in sys.modules
