"""A bilingual license's language halves are fingerprinted too: either half shipped alone is still named.

The texts here are our own words, generated: a Chinese half and an English half of one made-up license.
"""

from __future__ import annotations

import random

from desktop.core.licenses.identities import (Identity, _minhash, best_identity, fingerprint, language_halves,
                                              words_key)

ZH = "许可方授予您使用复制修改和分发本模型的权利但您不得将本模型用于任何违法目的并应保留本声明"
EN = ("licensor grants you the right to use copy modify and distribute this model but you must not use it for "
      "any unlawful purpose and you must keep this notice with every copy you make of the model weights").split()


def _bilingual(seed: int = 7) -> str:
    rng = random.Random(seed)
    zh = ["".join(rng.sample(ZH, 20)) + "。" for _ in range(30)]
    en = [" ".join(rng.sample(EN, 14)) + "." for _ in range(30)]
    return "\n".join(["示例模型许可协议", *zh, "Example Model License", *en]) + "\n"


def _identity(text: str) -> Identity:
    fp = fingerprint(text)
    return Identity("example-model", "Example Model License", "example", "model", "us/example@0:LICENSE",
                    ("example model license",), (), (), fp["sha256"], _minhash(fp["minhash"]), fp["words"], "",
                    tuple((s["sha256"], _minhash(s["minhash"])) for s in fp["sections"]))


def test_each_language_half_alone_is_named_and_an_edit_is_modified() -> None:
    text = _bilingual()
    halves = dict(language_halves(text))
    assert set(halves) == {"zh", "en"} and "Example Model License" in halves["en"]
    identity = _identity(text)
    for half in halves.values():
        found = best_identity(words_key(half).split(), identities=[identity])
        assert found is not None and found.identity.id == "example-model" and not found.modified
    edited = halves["en"].replace(" model ", " models ", 3)
    found = best_identity(words_key(edited).split(), identities=[identity])
    assert found is not None and found.modified


def test_a_text_in_one_language_has_no_halves() -> None:
    english = "\n".join(line for line in _bilingual().split("\n") if line.isascii())
    assert language_halves(english) == []
    assert "sections" not in fingerprint(english)
