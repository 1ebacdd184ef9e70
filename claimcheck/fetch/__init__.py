"""Fetching a URL into an evidence-grade capture: network, safety, content, Wayback, WARC.

* :mod:`.safety` — which URLs and addresses may be fetched (stdlib only);
* :mod:`.client` — the HTTP fetch itself (httpx, imported only when a command fetches);
* :mod:`.content` — response bytes → text and metadata, by content type (HTML, text, PDF);
* :mod:`.wayback` — asking the Wayback Machine's Save Page Now for a snapshot;
* :mod:`.warc` — writing a capture as a standard WARC file (warcio).

Nothing here touches the database: the services store what these modules return. Importing this
package imports no HTTP, PDF or WARC library; each is loaded by the function that needs it.
"""
