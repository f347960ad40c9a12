"""GraphiQL with the saved operations of each consumer, one tab each (``playground/``).

Queries and mutations go over HTTP with the headers typed in the headers editor;
subscriptions go over graphql-transport-ws with the same headers as connection params.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

PLAYGROUND = Path(__file__).resolve().parent.parent / "playground"
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Trade-finance gateway · GraphiQL</title>
<style>body {{ margin: 0; height: 100vh; }} #graphiql {{ height: 100vh; }}</style>
<link rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css">
<script crossorigin src="https://unpkg.com/react@18.2.0/umd/react.production.min.js"></script>
<script crossorigin src="https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js"></script>
<script crossorigin src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"></script>
<script crossorigin src="https://unpkg.com/graphql-ws@5.16.0/umd/graphql-ws.min.js"></script>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script id="tabs" type="application/json">{tabs}</script>
<script>
const url = window.location.href.split("?")[0];
const wsUrl = url.replace(/^http/, "ws");
function fetcher(params, options) {{
  const headers = (options && options.headers) || {{}};
  if (/^\\s*subscription\\b/m.test(params.query || "")) {{
    const client = graphqlWs.createClient({{ url: wsUrl, connectionParams: headers, lazy: true }});
    return client.iterate(params);
  }}
  return fetch(url, {{
    method: "POST",
    headers: Object.assign({{ "content-type": "application/json",
                              "accept": "application/graphql-response+json" }}, headers),
    body: JSON.stringify(params),
  }}).then((r) => r.json());
}}
const tabs = JSON.parse(document.getElementById("tabs").textContent);
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {{ fetcher, defaultTabs: tabs, defaultEditorToolsVisibility: true,
    defaultHeaders: '{{"Authorization": "Bearer <token from sessionCreate>"}}' }})
);
</script>
</body>
</html>
"""


def saved_tabs(folder: Path = PLAYGROUND) -> list[dict[str, str]]:
    """One tab per ``playground/*.graphql`` file, sorted by file name."""
    tabs = []
    for path in sorted(folder.glob("*.graphql")):
        tabs.append({"query": path.read_text(encoding="utf-8")})
    return tabs


def render_page() -> str:
    tabs = json.dumps(saved_tabs(), ensure_ascii=False).replace("</", "<\\/")
    return PAGE.format(tabs=html.unescape(tabs))
