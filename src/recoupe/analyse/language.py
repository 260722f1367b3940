"""Which language an article is written in, from its text alone (py3langid, offline model)."""

from __future__ import annotations

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Enough text to decide; more only costs time.
_SAMPLE_CHARS = 3000


class LanguageDetector:
    """Holds the langid model (loaded once per detector, not per call)."""

    def __init__(self) -> None:
        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(self, text: str) -> str | None:
        """ISO 639-1 code, or None when there is too little text to tell."""
        sample = text[:_SAMPLE_CHARS]
        if sum(ch.isalpha() for ch in sample) < 20:
            return None
        lang, _prob = self._identifier.classify(sample)
        return lang
