"""Server-rendered staff pages (htmx enhances them; every page also works without JavaScript)."""
