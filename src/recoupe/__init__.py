"""recoupe: a news story engine.

Reads news articles, groups those that tell the same story, finds who copied,
rewrote or translated whom, and cross-checks what the sources say.
"""

__version__ = "0.1.0"
