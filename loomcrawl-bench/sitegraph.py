"""A generated site's link graph, read from its files the way gensite.py (../shared/bench) writes its ground truth:
<a href> only, fragments dropped, same host only. Shared by ideal_crawl.py and timeline.py."""
import os
import re
import urllib.parse

_HREF = re.compile(r'<a href=["\']([^"\']*)["\']')


def links(site_dir, base, url):
    """The same-host URLs the page at `url` links to, in document order (none for a non-HTML or missing file)."""
    path = urllib.parse.urlsplit(url).path
    file = os.path.join(site_dir, "index.html" if path == "/" else path.lstrip("/"))
    if not file.endswith(".html") or not os.path.exists(file):
        return []
    with open(file) as f:
        found = _HREF.findall(f.read())
    out = []
    for h in found:
        u = urllib.parse.urldefrag(urllib.parse.urljoin(url, h))[0]
        if u.startswith(base + "/"):
            out.append(u)
    return out
