"""Pages written for the fetch tests, and a tiny PDF builder. Everything here is our own text."""

from __future__ import annotations

ARTICLE_HTML = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Flood evacuations double | Riverside Gazette</title>
<meta property="og:title" content="Flood evacuations double in the lower valley">
<meta property="og:site_name" content="Riverside Gazette">
<meta property="og:type" content="article">
<meta property="article:published_time" content="2025-03-14T08:30:00Z">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Flood evacuations double in the lower valley",
 "author": {"@type": "Person", "name": "Mira Okonjo"},
 "publisher": {"@type": "Organization", "name": "Riverside Gazette"},
 "datePublished": "2025-03-14", "inLanguage": "en-GB"}
</script>
</head>
<body>
<nav><a href="/">Home</a> <a href="/weather">Weather</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Flood evacuations double in the lower valley</h1>
<p>The regional emergency office said on Friday that 2,300 residents had been evacuated from
the lower valley since Tuesday, twice as many as during the floods of last spring.</p>
<p>According to the office, the river rose by 1.8 metres in 24 hours at the Millbrook gauge,
the fastest rise recorded there since 1998.</p>
<p>Mayor Ines Caldwell said the town had opened four shelters with room for 900 people and
that schools would stay closed until at least Wednesday.</p>
<p>The national weather service expects another 40 millimetres of rain over the weekend.</p>
</article>
<footer>Copyright Riverside Gazette. All rights reserved.</footer>
</body>
</html>
"""

CHANGED_HTML = ARTICLE_HTML.replace(
    "that schools would stay closed until at least Wednesday.",
    "that schools would reopen on Monday.",
)

PLAIN_TEXT = (
    "Statement from the harbour authority, 12 April 2025.\n\n"
    "Container traffic through the port fell by 7 percent in the first quarter, to 410,000 "
    "units, the authority said. It blamed the closure of berth 4 for repairs.\n"
)

CP1252_TEXT = (
    "Le café du théâtre municipal coûte désormais quatre euros, a déclaré la chambre de "
    "commerce jeudi. Les prix ont augmenté de douze pour cent depuis janvier, selon l’étude "
    "publiée par l’observatoire régional, qui cite la hausse du coût de l’énergie. "
)


def cp1252_page() -> bytes:
    body = (
        "<html><head><title>Prix du café</title></head><body><article>"
        f"<p>{CP1252_TEXT}</p><p>{CP1252_TEXT}</p></article></body></html>"
    )
    return body.encode("cp1252")


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(
    lines: list[str], *, title: str, author: str, created: str = "20250316120000Z"
) -> bytes:
    """A one-page PDF with ``lines`` of Helvetica text, built by hand (offsets and xref exact)."""
    ops = ["BT", "/F1 11 Tf", "72 720 Td", "14 TL"]
    ops += [f"({_pdf_escape(line)}) Tj T*" for line in lines]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title ({_pdf_escape(title)}) /Author ({_pdf_escape(author)}) "
        f"/CreationDate (D:{created}) >>".encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


REPORT_LINES = [
    "Annual visitor report 2024",
    "The national parks recorded 4.2 million visits in 2024, up 12 percent on 2023.",
    "Overnight stays rose to 610,000, the highest number since records began in 2001.",
]
