"""Make ``sim/fonts/sim-cjk-sc.otf``: Noto Sans CJK SC Regular cut down to GB 2312.

Noto Sans CJK SC (Adobe and Google, SIL Open Font License 1.1) covers 65,535 glyphs in
16 MB; sim's figures and reports need the 6,763 hanzi of GB 2312 (every character of
everyday simplified Chinese, place names included), its symbols, Latin, Greek and the
punctuation, arrows and maths signs sim writes. The subset keeps the font's layout
features and its copyright and licence records, and is renamed ``sim-cjk`` (the OFL
asks modified versions not to pass for the original). 3.0 MB.

Usage::

    python tools/make_cjk_subset.py NotoSansCJKsc-Regular.otf sim/fonts/sim-cjk-sc.otf

The source is Debian's ``fonts-noto-cjk`` (``/usr/share/fonts/opentype/noto/
NotoSansCJK-Regular.ttc``, font number 2 is SC) or the file from
https://github.com/notofonts/noto-cjk (Sans/OTF/SimplifiedChinese).
"""

from __future__ import annotations

import sys

from fontTools import subset

RANGES = [  # besides GB 2312: Latin-1 and Latin Extended-A, Greek, punctuation, arrows,
    (0x20, 0x7F),  # maths operators, CJK symbols and punctuation, full-width forms
    (0xA0, 0x180),
    (0x370, 0x400),
    (0x2000, 0x2070),
    (0x2190, 0x2300),
    (0x3000, 0x3040),
    (0xFF00, 0xFFF0),
]


def characters() -> str:
    """Every character of GB 2312 and of :data:`RANGES`."""
    chars = {chr(c) for lo, hi in RANGES for c in range(lo, hi)}
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(sorted(chars))


def main(source: str, dest: str, number: int = 0) -> None:
    """Write the subset of ``source`` (font ``number`` of a collection) to ``dest``."""
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    options.font_number = number
    font = subset.load_font(source, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16, 17, 21, 22):
            names.removeNames(nameID=record.nameID)
    for name_id, value in ((1, "sim-cjk"), (2, "Regular"), (3, "sim-cjk-sc-gb2312"),
                           (4, "sim-cjk Regular"), (6, "sim-cjk-Regular")):  # fmt: skip
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)
    names.setName(
        "Subset of Noto Sans CJK SC Regular to GB 2312 for sim (tools/make_cjk_subset.py)",
        10, 3, 1, 0x409,
    )  # fmt: skip
    subset.save_font(font, dest, options)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 0)
