"""Writing captures as a standard WARC file (ISO 28500), through warcio.

For each capture, in this order (all gzip-compressed record by record, as web archives expect):

* one ``warcinfo`` record at the start of the file naming claimcheck and its version;
* a ``request`` record: the GET claimcheck sent (method, path, Host, User-Agent, Accept headers);
* a ``response`` record: the HTTP status line, the headers and the body exactly as received, with
  ``WARC-IP-Address`` (the address connected to) and ``WARC-Date`` (when it was fetched). httpx
  removes the chunked transfer coding while reading, so a ``Transfer-Encoding`` header is dropped
  and ``Content-Length`` set to the body's length: the record then describes the bytes it holds;
  the Content-Encoding (gzip, br) is kept, as received;
* a ``metadata`` record (``application/json``) with what claimcheck made of it: the requested
  URL, the redirects, the SHA-256 of the decoded body and of the text, the page's metadata;
* a ``conversion`` record (``text/plain; charset=utf-8``): the extracted text, which claim offsets
  refer to, pointing at the response with ``WARC-Refers-To``.

warcio computes the block and payload digests, which ``warcio check`` verifies.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from claimcheck import __version__


@dataclass
class WarcCapture:
    url: str
    requested_url: str
    fetched_at: str  # ISO 8601, UTC, "Z"
    http_version: str
    status: int
    reason: str | None
    headers: list[tuple[str, str]]
    payload: bytes
    peer: str | None
    user_agent: str | None
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


_DROP = {"transfer-encoding", "content-length"}


def write_warc(out: BinaryIO, captures: list[WarcCapture], filename: str) -> int:
    """Write the captures to ``out``; returns the number of records written."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(out, gzip=True)
    info = writer.create_warcinfo_record(
        filename,
        {
            "software": f"claimcheck/{__version__}",
            "format": "WARC File Format 1.0",
            "description": "Evidence captures of fact-checked sources",
        },
    )
    writer.write_record(info)
    count = 1
    for cap in captures:
        parts = urlsplit(cap.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_headers = [("Host", parts.netloc)]
        if cap.user_agent:
            request_headers.append(("User-Agent", cap.user_agent))
        request_headers += [("Accept", "*/*"), ("Accept-Encoding", "gzip, deflate, br")]
        date = {"WARC-Date": cap.fetched_at}
        request = writer.create_warc_record(
            cap.url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"GET {target} {cap.http_version}", request_headers, is_http_request=True
            ),
            warc_headers_dict=dict(date),
        )
        headers = [(k, v) for k, v in cap.headers if k.lower() not in _DROP]
        headers.append(("Content-Length", str(len(cap.payload))))
        status_line = f"{cap.status} {cap.reason or ''}".strip()
        response_warc = dict(date)
        if cap.peer:
            response_warc["WARC-IP-Address"] = cap.peer
        response = writer.create_warc_record(
            cap.url,
            "response",
            payload=io.BytesIO(cap.payload),
            length=len(cap.payload),
            http_headers=StatusAndHeaders(status_line, headers, protocol=cap.http_version),
            warc_headers_dict=response_warc,
        )
        response_id = response.rec_headers.get_header("WARC-Record-ID")
        request.rec_headers.add_header("WARC-Concurrent-To", response_id)
        writer.write_record(request)
        writer.write_record(response)
        meta = json.dumps(
            {"requested_url": cap.requested_url, **cap.metadata},
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
            default=str,
        ).encode("utf-8")
        writer.write_record(
            writer.create_warc_record(
                cap.url,
                "metadata",
                payload=io.BytesIO(meta),
                length=len(meta),
                warc_content_type="application/json",
                warc_headers_dict={**date, "WARC-Concurrent-To": response_id},
            )
        )
        text = cap.text.encode("utf-8")
        writer.write_record(
            writer.create_warc_record(
                cap.url,
                "conversion",
                payload=io.BytesIO(text),
                length=len(text),
                warc_content_type="text/plain; charset=utf-8",
                warc_headers_dict={**date, "WARC-Refers-To": response_id},
            )
        )
        count += 4
    return count
