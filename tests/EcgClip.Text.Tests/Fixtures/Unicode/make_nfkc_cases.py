#!/usr/bin/env python3
"""Writes nfkc_cases.json: random strings and their unicodedata.normalize("NFKC", s), the reference for
EcgClip.Text's table-driven NFKC (UnicodeCompatibility). Standard library only; run from this folder.

The pool covers what reports contain (ASCII, German/Swedish/French letters, precomposed and decomposed with one
combining mark, full-width forms, ligatures, super/subscripts, fractions, compatibility spaces, Roman numerals,
circled numbers, Greek, Cyrillic, micro sign). Excluded on purpose (documented limitations): several combining
marks on one base (canonical reordering), conjoining Hangul jamo, characters outside the BMP.
"""
import json
import random
import unicodedata

rng = random.Random(20260526)
pool = list("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:-()/")
pool += list("äöüÄÖÜßåÅéèêàáóíúñçæøÉ")
pool += [chr(c) for c in range(0xFF01, 0xFF5F)]            # full-width ASCII
pool += list("ﬀﬁﬂﬃﬄﬅﬆ")                                    # ligatures
pool += list("¹²³⁴⁵⁰⁺⁻₀₁₂₃½¼¾⅓⅔⅛")                         # super/subscripts, fractions
pool += ["\u00a0", "\u2002", "\u2003", "\u2009", "\u202f", "\u3000"]  # compatibility spaces
pool += list("ⅠⅡⅢⅣⅤⅰⅱⅲ①②③⑩⑴⒈")                          # Roman numerals, circled/parenthesised numbers
pool += list("αβγδΔΩωµμπ") + list("абвгдЖЗИ")
pool += list("…‥℃℉№™Å")
bases = list("aeiouAEIOUnNcCsSzZy")
marks = ["\u0300", "\u0301", "\u0302", "\u0303", "\u0308", "\u030a", "\u0327", "\u030c"]

cases = []
for i in range(400):
    parts = []
    for _ in range(rng.randint(0, 24)):
        if rng.random() < 0.15:
            parts.append(rng.choice(bases) + rng.choice(marks))
        else:
            parts.append(rng.choice(pool))
    s = "".join(parts)
    cases.append({"input": s, "nfkc": unicodedata.normalize("NFKC", s)})
with open("nfkc_cases.json", "w", encoding="utf-8") as f:
    json.dump({"unidata_version": unicodedata.unidata_version, "cases": cases}, f, ensure_ascii=True, indent=0)
print(len(cases), "cases")
