"""Amparo as a person sees it: a real Chromium (Debian's package) driven by Playwright.

The browser tests (`amparo/browser/tests/`) and `make screenshots` share this code: how to find
and start the browser, how to look at a page (styles loaded, nothing scrolling sideways, no
script or CSP error, axe-core's serious and critical violations) and where screenshots go.
"""
