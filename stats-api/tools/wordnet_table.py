#!/usr/bin/env python3
"""Reduces Princeton WordNet 3.0 to the table `ask` relates words with: for each single,
lowercase word its most common senses, and for each sense kept the senses one step away
(its hypernyms, and its derivationally related, similar and verb-group senses), plus the
irregular forms (`mice` → mouse), and two-word phrases the same way, as `call_off`. Glosses, examples, proper names, phrases and rare senses
are dropped (a word whose senses are all names, like `mau`, is no word here). Run by `stats-api/tools/wordnet_table.sh`, which installs WordNet first.

Output (zlib-compressed UTF-8 text, three sections separated by a line `%`):
  senses: one line per kept sense, numbered from 0: `H1,H2 N1,N2` — the hypernyms' numbers,
          then the near senses' numbers (either list may be empty)
  words:  sorted, one line per word: `word S1,S2,… N` — its kept senses, most common first,
          and how many senses it has in all
  forms:  sorted, one line per irregular form: `form base`
"""

import re
import sys
import zlib
from pathlib import Path

DICT = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet")
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "wordnet.zlib")
# Senses kept per word and part of speech: the tagged ones (seen in a corpus), at most this
# many, and at least the first.
MAX_SENSES = 3
POS = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
WORD = re.compile(r"^[a-z]{2,24}$")
# Two-word phrases too ("call off", "turn in", "no-show"), kept as `call_off`: a phrasal verb
# means what neither of its words does.
PHRASE = re.compile(r"^[a-z]{2,24}[_-][a-z]{2,24}$")


def read_lines(name):
    with open(DICT / name, encoding="latin-1") as f:
        for line in f:
            if not line.startswith("  "):
                yield line.rstrip("\n")


# synset key (pos letter, offset) → (lemmas, pointers)
synsets = {}
for p, name in POS.items():
    for line in read_lines(f"data.{name}"):
        head, _, _ = line.partition(" | ")
        f = head.split()
        offset, ss_type = f[0], f[2]
        key = ("a" if ss_type == "s" else ss_type, offset)
        n_words = int(f[3], 16)
        # Adjectives carry a marker, `galore(ip)`: the lemma is before it.
        lemmas = [f[4 + 2 * i].split("(")[0] for i in range(n_words)]
        i = 4 + 2 * n_words
        n_ptrs = int(f[i])
        ptrs = []
        for j in range(n_ptrs):
            sym, off, pos = f[i + 1 + 4 * j], f[i + 2 + 4 * j], f[i + 3 + 4 * j]
            ptrs.append((sym, ("a" if pos == "s" else pos, off)))
        synsets[key] = (lemmas, ptrs)

# word → kept senses, most common first (noun senses first, then verb, adjective, adverb)
words = {}
# word → how many senses it has in all (kept or not): "say", "get", "run" mean too many things
# to say which one a question means.
senses_all = {}
for p, name in POS.items():
    for line in read_lines(f"index.{name}"):
        f = line.split()
        lemma = f[0]
        if not WORD.match(lemma) and not PHRASE.match(lemma):
            continue
        synset_cnt, p_cnt = int(f[2]), int(f[3])
        tagged = int(f[5 + p_cnt])
        # Of the noun phrases, mostly names of species and things ("barn owl"), those seen in
        # the tagged corpus and those hyphenated ("no-show", "drop-off", "check-in").
        if PHRASE.match(lemma) and p == "n" and not tagged and "-" not in lemma:
            continue
        offsets = f[6 + p_cnt:6 + p_cnt + synset_cnt]
        keep = max(1, min(tagged, MAX_SENSES))
        # Proper names ("Mau Mau", "Chile" the country is kept as chile the pepper) are
        # capitalised in the synset: those senses are not the word's.
        kept_offsets = [
            o for o in offsets[:keep]
            if any(l.lower() == lemma and l == l.lower()
                   for l in synsets[("a" if p == "s" else p, o)][0])
        ]
        key = lemma.replace("-", "_")
        senses_all[key] = senses_all.get(key, 0) + synset_cnt
        if kept_offsets:
            words.setdefault(key, []).extend((p, o) for o in kept_offsets)

HYPER = {"@", "@i"}
NEAR = {"+", "&", "$"}
kept = {}
order = []


def number(key):
    if key not in kept:
        kept[key] = len(order)
        order.append(key)
    return kept[key]


for lemma in sorted(words):
    for key in words[lemma]:
        number(key)
links = []
for key in list(order):
    _, ptrs = synsets[key]
    hyper = [number(t) for s, t in ptrs if s in HYPER]
    near = sorted({number(t) for s, t in ptrs if s in NEAR and t != key})
    links.append((hyper, near))
# Senses numbered while linking (one step away, not any word's own) have no links of their own.
while len(links) < len(order):
    links.append(([], []))

forms = []
for name in POS.values():
    for line in read_lines(f"{name}.exc"):
        f = line.split()
        if len(f) >= 2 and WORD.match(f[0]) and f[1] in words and f[0] != f[1]:
            forms.append((f[0], f[1]))
forms = sorted(set(forms))

out = []
for hyper, near in links:
    out.append(",".join(map(str, hyper)) + " " + ",".join(map(str, near)))
out.append("%")
for lemma in sorted(words):
    out.append(lemma + " " + ",".join(str(kept[k]) for k in words[lemma])
               + f" {senses_all[lemma]}")
out.append("%")
for form, base in forms:
    out.append(f"{form} {base}")
text = "\n".join(out) + "\n"
OUT.write_bytes(zlib.compress(text.encode(), 9))
print(f"{len(words)} words, {len(order)} senses, {len(forms)} forms; "
      f"{len(text.encode())} bytes, {OUT.stat().st_size} compressed → {OUT}")
