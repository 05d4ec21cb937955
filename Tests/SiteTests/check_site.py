#!/usr/bin/env python3
"""Checks a built site: every HTML page parses as well-formed HTML5 (html5lib, strict), and every
internal link or resource (href/src starting with "/") resolves to a file in the site, a folder's
index.html, or a permalink listed in _redirects.

Usage: check_site.py SITE_FOLDER [BASE_URL]
Links that start with BASE_URL (the site's own address, as in canonical links) are internal too.
Prints one line per problem and a summary; exits 1 if there is any problem.
"""
import os
import sys
import urllib.parse

import html5lib


def pages(root):
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith(".html"):
                yield os.path.join(folder, name)


def redirect_paths(root):
    path = os.path.join(root, "_redirects")
    if not os.path.exists(path):
        return set()
    with open(path, encoding="utf-8") as f:
        return {line.split()[0] for line in f if line.strip()}


def resolves(root, link, redirects):
    path = urllib.parse.unquote(urllib.parse.urlsplit(link).path)
    if path in redirects or path.rstrip("/") in redirects:
        return True
    target = os.path.normpath(os.path.join(root, path.lstrip("/")))
    if not target.startswith(os.path.normpath(root)):
        return False
    return os.path.isfile(target) or os.path.isfile(os.path.join(target, "index.html"))


def main():
    root = sys.argv[1]
    base_url = sys.argv[2].rstrip("/") if len(sys.argv) > 2 else None
    redirects = redirect_paths(root)
    problems = []
    checked_pages = checked_links = 0
    for page in pages(root):
        checked_pages += 1
        with open(page, "rb") as f:
            parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
            try:
                document = parser.parse(f)
            except Exception as error:  # html5lib raises ParseError with the position
                problems.append(f"{page}: not well-formed HTML: {error}")
                continue
        for element in document.iter():
            for attribute in ("href", "src"):
                link = element.get(attribute)
                if link is not None and base_url and (link == base_url or link.startswith(base_url + "/")):
                    link = link[len(base_url):] or "/"
                if link is None or not link.startswith("/") or link.startswith("//"):
                    continue
                checked_links += 1
                if not resolves(root, link, redirects):
                    problems.append(f"{page}: broken internal link {link}")
    for problem in problems:
        print(problem)
    print(f"checked {checked_pages} pages and {checked_links} internal links: {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
