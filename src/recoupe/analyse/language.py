"""Which language an article is written in, from its text alone (py3langid, offline model)."""

from __future__ import annotations

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Enough text to decide; more only costs time.
_SAMPLE_CHARS = 3000


class LanguageDetector:
    """Holds the langid model, loaded on the first call (once per detector): a run that
    finds nothing new to read does not pay the second it takes to load."""

    def __init__(self) -> None:
        self._model: LanguageIdentifier | None = None

    @property
    def _identifier(self) -> LanguageIdentifier:
        if self._model is None:
            self._model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return self._model

    def detect(self, text: str) -> str | None:
        """ISO 639-1 code, or None when there is too little text to tell."""
        sample = text[:_SAMPLE_CHARS]
        if sum(ch.isalpha() for ch in sample) < 20:
            return None
        lang, _prob = self._identifier.classify(sample)
        return lang
