"""The pages the browser route writes itself: the sign-in, the refusals (full, too many
attempts) and the page that holds the workstation. Plain HTML with nothing from elsewhere (no
fonts, scripts or styles from another site), every text from the catalog and escaped.

The sign-in page carries no script at all; its Content-Security-Policy says so.
"""

from __future__ import annotations

from html import escape

from agent_tui.i18n import SUPPORTED, Catalog

SIGN_IN_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                  "frame-ancestors 'none'; base-uri 'none'")
_STYLE = """
body { background: #0c181f; color: #e6edf3; font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC",
  sans-serif; display: flex; justify-content: center; padding-top: 8vh; margin: 0; }
main { background: #12232d; padding: 2em 2.5em; min-width: 22em; max-width: 30em; }
h1 { font-size: 1.4em; margin-top: 0; }
label { display: block; margin: 1em 0 .3em; }
input { width: 100%; box-sizing: border-box; padding: .5em; font-size: 1em; }
button { margin-top: 1.4em; padding: .6em 1.6em; font-size: 1em; background: #5e0ba7;
  color: #fff; border: none; cursor: pointer; }
.problem { background: #5c1a1a; padding: .6em; margin: 1em 0 0; }
.languages { margin-top: 1.6em; font-size: .9em; }
.languages a { color: #9ecbff; margin-right: 1em; }
p.hint { font-size: .9em; color: #b8c4cc; }
"""


def _page(catalog: Catalog, title: str, body: str) -> str:
    lang = escape(catalog.language)
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body><main>{body}</main></body></html>\n")


def _languages(current: str) -> str:
    names = {"zh-CN": "中文", "en": "English"}
    links = "".join(f'<a href="/sign-in?lang={escape(code)}" lang="{escape(code)}">'
                    f"{escape(names[code])}</a>" for code in SUPPORTED if code != current)
    return f'<p class="languages">{links}</p>'


def sign_in_page(catalog: Catalog, *, agent: str = "", problem: str = "") -> str:
    t = catalog.text
    alert = f'<p class="problem" role="alert" id="problem">{escape(problem)}</p>' if problem else ""
    body = (f"<h1>{escape(t('web.sign_in_title'))}</h1>"
            f'<p class="hint">{escape(t("web.sign_in_hint"))}</p>{alert}'
            f'<form method="post" action="/sign-in">'
            f'<input type="hidden" name="lang" value="{escape(catalog.language)}">'
            f'<label for="agent">{escape(t("web.agent_id"))}</label>'
            f'<input id="agent" name="agent" value="{escape(agent)}" maxlength="16" '
            f'autocomplete="username" autofocus>'
            f'<label for="secret">{escape(t("web.secret"))}</label>'
            f'<input id="secret" name="secret" type="password" maxlength="512" '
            f'autocomplete="current-password">'
            f'<button type="submit" id="submit">{escape(t("web.submit"))}</button></form>'
            f"{_languages(catalog.language)}")
    return _page(catalog, t("web.sign_in_title"), body)


def notice_page(catalog: Catalog, title_key: str, message: str) -> str:
    """A refusal that says what to do: the session cap reached, too many attempts."""
    t = catalog.text
    body = (f'<h1 id="notice">{escape(t(title_key))}</h1><p>{escape(message)}</p>'
            f'<p><a href="/sign-in?lang={escape(catalog.language)}" style="color:#9ecbff">'
            f"{escape(t('web.back_to_sign_in'))}</a></p>")
    return _page(catalog, t(title_key), body)


def workstation_page(catalog: Catalog) -> str:
    """textual-serve's terminal (its own script and styles, served from here) without its page's
    web fonts from another site; the websocket's address is this page's own host, so the page
    works unchanged behind a TLS proxy (wss://)."""
    t = catalog.text
    lang = escape(catalog.language)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{escape(t("app.title"))}</title>
<link rel="stylesheet" href="/static/css/xterm.css">
<script src="/static/js/textual.js"></script>
<script>
document.addEventListener("DOMContentLoaded", () => {{
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  document.getElementById("terminal").dataset.sessionWebsocketUrl = scheme + location.host + "/ws";
}});
</script>
<style>
@font-face {{ font-family: "Roboto Mono"; src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf"); }}
html, body {{ margin: 0; height: 100%; background: #0c181f; }}
.textual-terminal {{ width: 100vw; height: 100vh; }}
.closed-dialog {{ display: none; }}
body.-closed .closed-dialog {{ display: flex; position: absolute; inset: 0; z-index: 10;
  align-items: center; justify-content: center; background: rgba(12, 24, 31, .9); }}
.closed-dialog div {{ background: #12232d; color: #e6edf3; padding: 2em 3em; font-family: sans-serif; }}
.closed-dialog a {{ color: #9ecbff; margin-right: 1.5em; }}
</style></head>
<body>
<div class="closed-dialog" id="closed"><div><p>{escape(t("web.session_ended"))}</p>
<p><a href="/">{escape(t("web.restart"))}</a>
<a href="/sign-out">{escape(t("web.sign_out"))}</a></p></div></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="" data-font-size="16">
</div></body></html>
"""
