"""Page furniture: the parts of a web page that are not the article.

Three kinds are recognised, all by shape or by common multilingual phrases:
navigation and service lines ("back to top", "quitter la version mobile",
share/follow/subscribe lines), breadcrumbs ("Site.com » Section » Title"), and
section labels: short heading-like lines at the top or bottom edge of the body
that sit next to other furniture or the title. Short headings inside the body
are content and are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .blocks import EDGE_BLANKS, Paragraph, ends_sentence, fold, is_label_like, later_copies, word_count, words

# Whole lines that are service links of a page, in the languages the engine meets most.
_SERVICE_LINE = re.compile(
    r"""^(?:
        (?:retour|revenir|remonter)\s+(?:en\s+haut|au\s+d[eé]but)(?:\s+de\s+(?:la\s+)?page)?|haut\s+de\s+(?:la\s+)?page
      | back\s+to\s+(?:the\s+)?top|top\s+of\s+(?:the\s+)?page|scroll\s+to\s+top
      | (?:zur[uü]ck\s+)?nach\s+oben|seitenanfang
      | volver\s+(?:arriba|al\s+inicio)|ir\s+arriba|torna\s+(?:su|all'inizio)
      | (?:quitter|voir|afficher|passer\s+[aà])\s+(?:la\s+)?version\s+(?:mobile|classique|compl[eè]te|ordinateur|desktop)
      | version\s+(?:mobile|classique|desktop)
      | (?:exit|leave|switch\s+to|view|go\s+to)\s+(?:the\s+)?(?:mobile|desktop|full|classic)\s+(?:version|site|view)
      | mobile\s+(?:version|site|ansicht)|versi[oó]n\s+m[oó]vil|versione\s+mobile
      | (?:partager|partagez|share|teilen|compartir|condividi)(?:\s+(?:cet|cette|this|ce|l'|la|le|diesen|den|este|esta|questo)\s*\w*)?(?:\s+(?:sur|on|auf|en|su)\s+[\w\s,]+)?
      | (?:suivez|suivre|follow|folgen|s[ií]guenos|seguici)(?:[\s-]+(?:nous|us|sie\s+uns))?(?:\s+(?:sur|on|auf|en|su)\s+[\w\s,&]+)?
      | (?:abonnez[\s-]vous|s'abonner|je\s+m'abonne|subscribe|abonnieren|suscr[ií]bete|iscriviti|inscrivez[\s-]vous|sign\s+up)(?:\s+(?:[aà]|to|for|zu|für|a|alla?)\b.*)?
      | (?:newsletter|infolettre)(?:\s+\w+){0,3}
      | (?:imprimer|print|drucken|imprimir|stampa|envoyer\s+par\s+e?-?mail|e-?mail|send\s+by\s+e-?mail|copier\s+le\s+lien|copy\s+link)(?:\s+(?:cet|this|l')\s*\w*)?
      | (?:publicit[eé]|advertisement|advertising|anzeige|werbung|publicidad|pubblicit[aà]|sponsored|contenu\s+sponsoris[eé])
      | \d+\s+(?:commentaires?|comments?|kommentare?|comentarios?|commenti)|(?:commentaires?|comments?|kommentare?|comentarios?|commenti)\s*\(\d+\)
      | (?:laisser|laissez|ajouter|leave|add|post)\s+(?:un|a|your|votre)\s+(?:commentaire|comment)
      | (?:se\s+connecter|log\s*in|sign\s*in|mon\s+compte|my\s+account|mein\s+konto|mi\s+cuenta)
      | (?:tous\s+droits\s+r[eé]serv[eé]s|all\s+rights\s+reserved|alle\s+rechte\s+vorbehalten|todos\s+los\s+derechos\s+reservados|tutti\s+i\s+diritti\s+riservati)
      | (?:temps\s+de\s+)?lecture\s*:?\s*\d+\s*min(?:utes?)?|\d+\s*min(?:utes?)?\s+(?:de\s+lecture|read|lesezeit|de\s+lectura)|reading\s+time\s*:?\s*\d+\s*min(?:utes?)?
      | (?:voir|view)\s+(?:cette\s+publication|this\s+post|ce\s+post)\s+(?:sur|on)\s+instagram|ver\s+esta\s+publicaci[oó]n\s+en\s+instagram|diesen\s+beitrag\s+auf\s+instagram\s+ansehen
      | (?:regarder|voir|watch|ansehen)\s+(?:sur|on|auf)\s+(?:youtube|dailymotion|vimeo)
      | (?:accepter|accept|refuser|reject|g[ée]rer|manage|param[ée]trer)\s+(?:tous\s+)?(?:les\s+|all\s+|mes\s+)?cookies?(?:\s+\w+){0,3}|cookies?\s+(?:settings|policy|preferences)|politique\s+(?:de\s+)?cookies
      | (?:cet\s+article\s+vous\s+a\s+plu|vous\s+aimerez\s+aussi|[aà]\s+d[eé]couvrir\s+aussi|nos\s+derniers\s+articles|sur\s+le\s+m[eê]me\s+sujet|dans\s+la\s+m[eê]me\s+rubrique|you\s+may\s+also\s+like|related\s+(?:articles|stories|posts)|more\s+from|most\s+read|les\s+plus\s+lus)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Single navigation words: service lines at the edges of the body, but a heading inside it
# ("Recherche", "Commentaires") may be the article's own.
_NAVIGATION_WORD = re.compile(
    r"^(?:menu|rechercher|recherche|search|suche|buscar|cerca|accueil|home|startseite|inicio|connexion|commentaires?|comments?|kommentare|comentarios|commenti|r[ée]agir)$",
    re.IGNORECASE,
)

# Lines that start like a link to another page ("Lire aussi : ..."), any length up to a headline.
_LINK_LINE = re.compile(
    r"^(?:[àa]\s+lire\s+(?:aussi|[eé]galement)|lire\s+(?:aussi|[eé]galement|la\s+suite|plus)|voir\s+aussi|[àa]\s+voir\s+aussi|read\s+(?:more|also|next)|see\s+also|related|mehr\s+zum\s+thema|lesen\s+sie\s+(?:auch|mehr)|lee\s+(?:tambi[eé]n|m[aá]s)|leggi\s+anche|en\s+savoir\s+plus|pour\s+aller\s+plus\s+loin)\b\s*[:>»-]?",
    re.IGNORECASE,
)

# Photo and copyright credits printed as a line of their own.
_CREDIT_LINE = re.compile(
    r"^(?:©|\(c\)|copyright\b|cr[eé]dits?\s+photos?\b|cr[eé]dits?\s*:|photo\b\s*(?:d'illustration)?\s*[:/©]?|illustration\s*:|image\s*:|foto\s*:|bild\s*:)",
    re.IGNORECASE,
)

_SOCIAL_NAMES = {"facebook", "twitter", "x", "linkedin", "whatsapp", "telegram", "instagram", "email", "e", "mail", "messenger", "pinterest", "reddit", "bluesky", "threads", "flipboard", "copier", "le", "lien", "copy", "link", "imprimer", "print", "partager", "share", "tiktok", "youtube"}

_BREADCRUMB_SEPARATOR = re.compile(r"\s*(?:»|›|>|→|\s/\s|\s\|\s|\s::\s)\s*")
_SITE_LIKE = re.compile(r"^(?:[\w-]+\.)+[a-z]{2,}$|^(?:accueil|home|startseite|inicio|homepage|une|à la une|news|actualités|actualites|infos?)$", re.IGNORECASE)

_CREDIT_MAX_WORDS = 8  # "Photo : Jean Dupont / AFP"; longer lines are captions, kept

# A short line that is only punctuation or bullets ("***", "—", "•").
_DECORATION = re.compile(r"^[\W_]+$")


def service_line(line: str, max_words: int) -> bool:
    """A navigation, sharing, subscription, credit or reading-time line."""
    line = line.strip(EDGE_BLANKS)
    if len(line) > 40 * max_words:
        return False  # longer than any link line: prose
    core = re.sub(r"^[\W_]+|[\W_]+$", "", line)  # drop arrows, bullets and trailing colons
    if not core:
        return False
    folded = fold(core)
    n_words = word_count(core)
    if n_words <= max_words and _SERVICE_LINE.match(folded):
        return True
    if n_words <= 3 * max_words and _LINK_LINE.match(folded) and not ends_sentence(line):
        return True
    if n_words <= _CREDIT_MAX_WORDS and _CREDIT_LINE.match(line) and not ends_sentence(line.rstrip(".")):
        return True
    tokens = words(core)
    return 1 < len(tokens) <= 12 and all(token in _SOCIAL_NAMES for token in tokens)


def decoration(line: str) -> bool:
    return bool(_DECORATION.match(line.strip(EDGE_BLANKS)))


def breadcrumb_segments(line: str, max_segment_words: int = 20) -> list[str] | None:
    """The segments of a breadcrumb line ("Site.info » Section » Title"), else None.

    A breadcrumb has at least two separators, or one separator after a site-like
    first segment (a domain, "Accueil", "Home"); no segment reads as a sentence.
    """
    line = line.strip(EDGE_BLANKS)
    if not line or len(line) > 400:
        return None
    segments = [s.strip(EDGE_BLANKS) for s in _BREADCRUMB_SEPARATOR.split(line)]
    if len(segments) < 2 or any(not s for s in segments):
        return None
    if any(word_count(s) > max_segment_words for s in segments):
        return None
    if any(ends_sentence(s) and word_count(s) > 3 for s in segments[:-1]):
        return None
    site_like = bool(_SITE_LIKE.match(segments[0]))
    if len(segments) >= 3 and (site_like or all(word_count(s) <= 4 for s in segments[:-1])):
        return segments
    if len(segments) == 2 and site_like:
        return segments
    return None


def mark_service_lines(paragraphs: list[Paragraph], max_words: int) -> None:
    for paragraph in paragraphs:
        if paragraph.kept and (service_line(paragraph.text, max_words) or decoration(paragraph.text)):
            paragraph.kind = "furniture"


def mark_breadcrumbs(paragraphs: list[Paragraph], headline_like: Callable[[str], bool]) -> list[str]:
    """Breadcrumbs above the body (among the headline-like lines before the first
    paragraph of prose), and their copies anywhere; returns their last segments
    (often the title, a strong title signal)."""
    last_segments: list[str] = []
    keys: set[str] = set()
    copies = later_copies(paragraphs)
    for index, paragraph in enumerate(paragraphs):
        if not paragraph.kept or index in copies:
            continue
        segments = breadcrumb_segments(paragraph.text)
        if segments:
            keys.add(paragraph.key)
            last_segments.append(segments[-1])
        elif not headline_like(paragraph.text):
            break
    for paragraph in paragraphs:
        if paragraph.kept and paragraph.key in keys:
            paragraph.kind = "furniture"
    return last_segments


def mark_recurring(paragraphs: list[Paragraph], site: str | None, site_lines) -> None:
    if site_lines is None or site is None:
        return
    for paragraph in paragraphs:
        if paragraph.kept and site_lines.is_recurring(site, paragraph.text):
            paragraph.kind = "furniture"


def mark_edge_navigation(paragraphs: list[Paragraph], headline_like: Callable[[str], bool]) -> None:
    """Navigation words ("Menu", "Accueil", "Commentaires") among the short lines above
    the first paragraph of prose or below the last one."""
    copies = later_copies(paragraphs)
    for ordered in (list(enumerate(paragraphs)), list(reversed(list(enumerate(paragraphs))))):
        for index, paragraph in ordered:
            if not paragraph.kept or index in copies:
                continue
            text = re.sub(r"^[\W_]+|[\W_]+$", "", paragraph.text)
            if _NAVIGATION_WORD.match(text):
                paragraph.kind = "furniture"
            elif not headline_like(paragraph.text):
                break


def mark_edge_labels(
    paragraphs: list[Paragraph],
    max_words: int,
    max_chars: int,
    title_index: int | None = None,
    protected: Callable[[str], bool] = lambda text: False,
) -> None:
    """Section labels at the edges: short heading-like lines before the first (after the
    last) line of prose, next to a line already taken as furniture or as a title copy.

    `title_index` is the title's own line: a label above it is a rubric, but a line
    right below it may be the article's subtitle and needs other furniture next to it.
    `protected` lines (a dateline on its own line) are never labels.
    """
    for from_end in (False, True):
        order = list(range(len(paragraphs)))
        if from_end:
            order.reverse()
        changed = True
        while changed:
            changed = False
            copies = later_copies(paragraphs)
            for index in order:
                paragraph = paragraphs[index]
                if not paragraph.kept or index in copies:
                    continue
                if protected(paragraph.text) or not is_label_like(paragraph.text, max_words, max_chars):
                    break  # first line of prose: the edge ends here
                if any(_anchors_label(paragraphs, index, i, title_index) for i in (index - 1, index + 1)):
                    paragraph.kind = "furniture"
                    changed = True
                    break


def _anchors_label(paragraphs: list[Paragraph], label: int, neighbour: int, title_index: int | None) -> bool:
    if not 0 <= neighbour < len(paragraphs):
        return False
    kind = paragraphs[neighbour].kind
    if kind == "furniture":
        return True
    if kind == "title":
        return neighbour != title_index or label < neighbour
    return False
