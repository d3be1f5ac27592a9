"""Every command's --help, parsed: Chinese throughout, one option name and placeholder per concept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from gongkai import cli
from gongkai.slugs import slug_for

VOCABULARY = yaml.safe_load((Path(__file__).parent / "fixtures" / "cli" / "vocabulary.yml").read_text(encoding="utf-8"))
OPTION = re.compile(r"^\s+(?:-[a-zA-Z], )?(--[a-z][a-z-]*)(?: (\S+))?(?:, --[a-z-]+(?: \S+)?)?(?:\s{2,}|$)")
SHORT_AND_LONG = re.compile(r"^\s+-[a-zA-Z] (\S+), (--[a-z][a-z-]*) (\S+)")


def commands() -> list[str]:
    parser = cli.build_parser(load_import=True)
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def help_text(command: str | None, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        cli.main(([command] if command else []) + ["--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def options_in(text: str) -> dict[str, str | None]:
    """Option → placeholder, from the option lines of a --help text."""
    found: dict[str, str | None] = {}
    for line in text.splitlines():
        both = SHORT_AND_LONG.match(line)
        if both:
            found[both.group(2)] = both.group(3)
            continue
        match = OPTION.match(line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


@pytest.mark.parametrize("command", commands())
def test_options_mean_the_same_everywhere(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    found = options_in(help_text(command, capsys))
    expected = {**VOCABULARY["options"], **VOCABULARY["exceptions"].get(command, {})}
    unknown = sorted(set(found) - set(expected))
    assert not unknown, f"{command}: options outside the vocabulary: {unknown} (add them to vocabulary.yml)"
    for option, placeholder in found.items():
        assert placeholder == expected[option], (command, option, placeholder)
    assert not set(found) & set(VOCABULARY["retired"])


@pytest.mark.parametrize("command", [None, *commands()])
def test_help_is_in_chinese(command: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    text = help_text(command, capsys)
    words = set(re.findall(r"(?<![-\w])[A-Za-z][A-Za-z]+", re.sub(r"--?[a-z][a-z-]*", " ", text)))
    english = sorted(words - set(VOCABULARY["latin"]))
    assert not english, f"gongkai {command or ''} --help: English left: {english}"
    assert "用法：" in text and "显示本帮助并退出" in text


def test_the_retired_spellings_still_work_with_a_notice(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # `new --agency 名称` (what editors typed): read as the name, the code made from it
    assert cli.main(["new", "--agency", "示例镇人民政府", "--year", "2024", "--reports", "out"]) == 0
    err = capsys.readouterr().err
    assert "已按 --name 处理" in err and "--reports 已改名为 -o/--output" in err
    assert (tmp_path / "out" / slug_for("示例镇人民政府") / "2024.yml").is_file()
    # `new -o 文件.yml`: still written there, with a word that -o is a folder
    assert cli.main(["new", "--agency", "shifan-zhen", "--name", "示例镇人民政府", "--year", "2024",
                     "-o", "draft.yml"]) == 0
    assert "-o/--output 是文件夹" in capsys.readouterr().err and (tmp_path / "draft.yml").is_file()


def test_import_refuses_a_web_address(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["import", "https://www.example.gov.cn/2024年报.html", "--agency", "shifan-zhen"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "不能直接导入网址" in err and "另存为 .html" in err
