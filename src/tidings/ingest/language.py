"""Ingest stage: which language a report is written in.

Text comes in, an ISO 639-1 code (or None when the text is too short or too
ambiguous to tell) goes out. Ingest only records the code on the `Report`; it
never rejects a language, because the extractor decides what it can read.
"""

from __future__ import annotations

import functools
from typing import Any, Final

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Fewer letters than this and py3langid's guess is close to chance: one short
# line such as "Trade grew." came out as Swedish in our trials.
MIN_LETTERS: Final = 20

# Normalized probability below which we say "cannot tell". Chosen by hand on
# one-sentence reports of 20-40 letters: right answers scored 0.29-0.99, while
# a line of bare place names or figures scored at most 0.06.
MIN_CONFIDENCE: Final = 0.2

# Classifying the first part of a long report is as good as the whole and keeps
# the cost flat for a 20 MB input.
SAMPLE_CHARS: Final = 10_000

# py3langid knows some languages only by an ISO 639-3 code; fold the ones that
# belong to an ISO 639-1 macrolanguage, and drop the rest (and "zxx", "no
# linguistic content") as unknown.
MACROLANGUAGES: Final[dict[str, str]] = {
    "ary": "ar",  # Moroccan Arabic
    "arz": "ar",  # Egyptian Arabic
    "uzs": "uz",  # Southern Uzbek
    "yue": "zh",  # Cantonese
    "wuu": "zh",  # Wu Chinese
    "gug": "gn",  # Paraguayan Guarani
}


@functools.cache
def load_identifier() -> Any:
    """The py3langid model with normalized probabilities, loaded once per process."""
    # py3langid 0.4 renamed the loader; keep 0.3 (which pyproject still allows) working.
    load = getattr(LanguageIdentifier, "from_model_file", None) or LanguageIdentifier.from_pickled_model
    return load(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language; None when it is too short or unclear to tell."""
    sample = text[:SAMPLE_CHARS]
    if sum(char.isalpha() for char in sample) < MIN_LETTERS:
        return None
    label, confidence = load_identifier().classify(sample)
    if float(confidence) < MIN_CONFIDENCE:
        return None
    code = MACROLANGUAGES.get(str(label), str(label))
    return code if len(code) == 2 else None
