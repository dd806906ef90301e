"""The status pages: server-rendered jinja2, working without JavaScript, in en/fr/es."""
