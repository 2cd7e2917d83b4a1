"""What a workstation session imports before its first screen: every module is memory in every
SSH session (docs/deploy-ssh.md, "Sizing"), so what a session does not use at start-up is
imported when it is first used. A fresh interpreter imports what ``agent-tui ssh-session`` does
up to the search screen and the 360, and reports what it holds."""

from __future__ import annotations

import json
import subprocess
import sys

# Never in a session: the hub's server side, the browser route; rjieba (33 MB of dictionary)
# only once an article is indexed, never to search (domain/segment.py).
NOT_AT_START = ("fastapi", "starlette", "sqlalchemy", "uvicorn",
                "aiohttp", "textual_serve", "agent_tui.hub.api", "agent_tui.web.server",
                "rjieba")

SESSION = """
import json, sys
import agent_tui.cli, agent_tui.ssh_cli, agent_tui.app, agent_tui.sync.hub_client
import screens.search, screens.customer_360
print(json.dumps(sorted(sys.modules)))
"""


def _started_modules() -> set[str]:
    output = subprocess.run([sys.executable, "-c", SESSION], capture_output=True, text=True,
                            check=True, timeout=120).stdout
    return set(json.loads(output))


def test_a_session_starts_without_what_it_does_not_use():
    modules = _started_modules()
    assert "agent_tui.app.agent_app" in modules  # the check sees the session's imports
    assert sorted(name for name in NOT_AT_START if name in modules) == []


def _modules_after(code: str) -> set[str]:
    output = subprocess.run([sys.executable, "-c", f"import json, sys\n{code}\n"
                             "print(json.dumps(sorted(sys.modules)))"],
                            capture_output=True, text=True, check=True, timeout=120).stdout
    return set(json.loads(output.splitlines()[-1]))


def test_the_session_server_loads_what_sessions_use_and_not_the_hubs_server_side():
    modules = _modules_after("from agent_tui.ssh_server_cli import preload; preload()")
    assert {"screens.customer_360", "screens.call", "httpcore", "textual.drivers.linux_driver",
            "agent_tui.sync.hub_client", "rjieba"} <= modules  # the dictionary, shared once
    assert sorted(name for name in NOT_AT_START if name in modules and name != "rjieba") == []


def test_the_forced_command_reaches_the_hand_over_without_the_workstation():
    """The process that waits for each session is paid once per session: up to the hand-over
    it holds no click, Textual, Rich, httpx nor the config's modules."""
    modules = _modules_after("import agent_tui.entry, agent_tui.ssh_forced, "
                             "agent_tui.ssh_server.handover\n"
                             "agent_tui.ssh_forced.agents_root()")
    heavy = ("click", "textual", "rich", "httpx", "agent_tui.config", "agent_tui.cli",
             "agent_tui.app", "agent_tui.store", "msgspec", "sqlite3")
    assert sorted(name for name in heavy if name in modules) == []


def test_searching_the_knowledge_base_loads_no_dictionary(tmp_path):
    """The call's suggestions and F9 search a store whose index is built: the query is cut
    against the index's own words, and rjieba's 33 MB stay out of the session."""
    from agent_tui.library import load_library
    from agent_tui.store import Store, kb
    from scripts_library import LIBRARY_DIR

    path = tmp_path / "store.db"
    kb.publish(Store.open(path, create=True).connection(),
               [article for article in load_library(LIBRARY_DIR).articles if article.published])
    modules = _modules_after(
        "from pathlib import Path\nfrom agent_tui.store import Store, kb\n"
        f"connection = Store.open(Path({str(path)!r})).connection()\n"
        "hits = kb.search(connection, '银行卡挂失怎么办', 'zh-CN')\n"
        "assert hits and hits[0].id.startswith('card-loss'), hits\n"
        "assert kb.suggest(connection, 'lost_card', '客户说卡丢了', 'zh-CN')")
    assert "agent_tui.store.kb" in modules and "rjieba" not in modules


def test_a_start_without_a_hub_loads_no_http_client_and_no_markdown():
    """Start-up time (the cold-start figure): httpx (65 ms) waits for a hub to talk to, the
    Markdown widget with pygments (43 ms) for an article to read, uuid6 with the
    importlib.metadata and email it brings (15 ms) for the first id made."""
    modules = _modules_after("import agent_tui.app, screens.search, screens.customer_360, "
                             "screens.call, screens.widgets.textual_private")
    assert "agent_tui.app.agent_app" in modules
    late = ("httpx", "httpcore", "pygments", "textual.widgets._markdown", "rjieba",
            "uuid6", "importlib.metadata", "email")
    assert sorted(name for name in late if name in modules) == []


def test_applying_a_pulled_article_with_the_hubs_words_loads_no_dictionary(tmp_path):
    """A workstation with a hub pulls its published articles on the first sync: with the
    words the hub cut (store/kb_hub.py), indexing one loads no rjieba, nor does searching it."""
    from agent_tui.domain.kb import WORD_FIELDS, cut_words, searched_texts
    from agent_tui.store import Store

    path = tmp_path / "store.db"
    Store.open(path, create=True).close()
    title, keywords, body = "银行卡临时挂失", ["挂失", "补卡"], "电话**挂失**后，请持身份证到网点补卡。"
    pulled = {"id": "hub-lost-card", "lang": "zh-CN", "version": 2, "status": "published",
              "title": title, "category": "card", "request_types": ["lost_card"],
              "keywords": keywords, "body": body, "author": "R0001", "approved_by": "S0001",
              "approved_at": "2026-12-01T10:00:00+08:00",
              **dict(zip(WORD_FIELDS, cut_words(searched_texts(title, keywords, body)),
                         strict=True))}
    modules = _modules_after(
        "from pathlib import Path\nfrom agent_tui.store import Store, kb, kb_hub\n"
        f"connection = Store.open(Path({str(path)!r})).connection()\n"
        f"assert kb_hub.keep(connection, json.loads({json.dumps(pulled)!r}))\n"
        "hits = kb.search(connection, '挂失', 'zh-CN')\n"
        "assert [hit.id for hit in hits] == ['hub-lost-card'], hits")
    assert "agent_tui.store.kb_hub" in modules and "rjieba" not in modules
