"""Themes of a consultation's open answers, recomputable by anyone from the published file.

Method (the paragraph the results page shows): each answer to an open question is cut
into words, lower-cased; French function words, openers such as "il faut" or "je pense
que" and the words of non-answers ("je ne sais pas", "RAS") are dropped; each remaining
word is reduced to its stem (Snowball's French stemmer) and its accents are folded. An
answer left with no word is counted apart as empty or meaningless; a text an admin hid is
counted apart too. The other answers become vectors of stem weights (TF-IDF: rare stems
weigh more, repeated ones less; hashed into 2^18 columns, so no vocabulary is kept), and
k-means (scikit-learn's MiniBatchKMeans) groups them into k themes, trained on a random
sample of 20,000 answers, then every answer goes to its nearest theme. k is the value from
3 to 12 with the highest silhouette (how much closer answers are to their own theme than
to the next one), measured on 3,000 answers. A theme shows its share of the answers, the
ten words of highest average weight in it, and three answers drawn at random from it.
Every random draw comes from the seed, so the same file and the same seed give the same
themes: ``python -m civitas.themes answers.jsonl --seed N``.

Admins then name, merge and split themes; their edits are kept as a log applied on top of
the computation (a split re-runs the method on the theme's answers with k = 2), published
with it, and replayed by ``--edits themes.json``.

Framework-free: needs scikit-learn, NumPy, SciPy, snowballstemmer and
:mod:`civitas.sealing`, never Django.
"""

from civitas.themes.analysis import EditError, analyse, named, parameters, versions

__all__ = ["EditError", "analyse", "named", "parameters", "versions"]
