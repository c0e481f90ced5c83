"""Clause rules added for texts the library does not hold: forbidden uses, commercial grants, and
governing law / courts / non-commercial grants written in Chinese.  Sentences are our own words."""

from __future__ import annotations

from desktop.core.checks.clauses import extract_clauses


def kinds(text: str) -> dict[str, list[object]]:
    found: dict[str, list[object]] = {}
    for clause in extract_clauses(text):
        found.setdefault(clause.kind, []).append(clause.value)
    return found


def test_forbidden_uses_are_an_inline_use_policy() -> None:
    found = kinds("Licensee will not use the checkpoint for any military or unlawful purposes.\n")
    assert found["use_prohibition"] == ["prohibited-uses"]
    assert "use_prohibition" not in kinds("You may use the checkpoint for any lawful purpose.\n")


def test_commercial_grant_is_read_but_not_from_a_prohibition() -> None:
    assert kinds("Registered licensees may use the weights for commercial purposes at no cost.\n")[
        "commercial_allowed"] == ["commercial-allowed"]
    found = kinds("You may not use the weights for commercial purposes.\n")
    assert "commercial_allowed" not in found and found["non_commercial"] == ["non-commercial"]


def test_uses_policy_with_plural_uses_is_a_policy_reference() -> None:
    found = kinds("Your use must adhere to the Prohibited Uses Policy attached below.\n")
    assert "aup_reference" in found


def test_chinese_law_courts_and_non_commercial_grant() -> None:
    text = ("第一条 授权\n您仅可出于非商业用途使用本模型。\n\n"
            "第九条 其他\n本协议的解释及争议的解决均适用中华人民共和国法律。"
            "因本协议产生的争议，提交许可方所在地人民法院诉讼解决。\n")
    found = kinds(text)
    assert found["non_commercial"] == ["non-commercial"]
    assert found["governing_law"] == ["中华人民共和国"]
    assert found["venue"] == ["许可方所在地人民法院"]


def test_chinese_marking_duty_names_the_phrase_to_show() -> None:
    """标注 ... “X”: derivatives must be marked with the phrase X (our own sentence)."""
    found = kinds("您发布基于本模型的衍生模型时，需以显著方式标注，标注内容包括但不限于“Acme Brain ”。\n")
    assert found["attribution_duty"] == ["Acme Brain"]
    assert "attribution_duty" not in kinds("本协议中的“模型”是指本许可方发布的权重。\n")


def test_general_grant_is_read_but_not_when_it_is_limited() -> None:
    grant = "You are granted a worldwide, royalty-free license to use, copy and distribute the weights.\n"
    assert kinds(grant)["general_grant"] == ["general-grant"]
    assert "general_grant" not in kinds(grant.replace("the weights", "the weights for research"))
    assert "general_grant" not in kinds("You are granted a license to use the weights.\n")


def test_an_encouraged_phrase_is_no_duty_and_alternatives_are_one_duty() -> None:
    """Our sentences: "encouraged to mark ... “Powered by X”" sets no duty; "“A” or “B”" is one duty."""
    assert "attribution_duty" not in kinds("You are encouraged to mark your service “Powered by Acme”.\n")
    found = kinds("You must display “Built with Acme” or “Improved using Acme” in your documentation.\n")
    assert found["attribution_duty"] == ['Built with Acme" or "Improved using Acme']
    assert kinds("You must display “Built with Acme” on your website.\n")["attribution_duty"] == ["Built with Acme"]
