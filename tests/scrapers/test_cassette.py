"""Cassette replay/record: vcrpy format interop, matching, filtering, record mode."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import vcr  # type: ignore[import-untyped]
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from scrapers._cassette import (
    Cassette,
    CassetteMiddleware,
    CassetteMissError,
    Interaction,
    match_key,
)

ROOT = Path(__file__).resolve().parents[2]


class _Handler(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        base = f"http://{self.headers['Host']}"
        if self.path == "/robots.txt":
            body, kind = b"User-agent: *\nDisallow: /private\n", "text/plain"
        elif self.path.startswith("/search"):
            items = [
                {
                    "source": "immoweb",
                    "source_id": str(i),
                    "url": f"{base}/classified/{i}",
                    "rent_eur": 700 + i,
                    "postcode": "8500",
                }
                for i in (1, 2)
            ]
            body, kind = json.dumps({"items": items}).encode(), "application/json"
        elif self.path.startswith("/classified/"):
            sid = self.path.rsplit("/", 1)[-1]
            body = f"<html><body><p id='bedrooms'>{sid}</p></body></html>".encode()
            kind = "text/html; charset=utf-8"
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Set-Cookie", "session=very-secret-cookie")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# -- matching and files ---------------------------------------------------------------------


def test_match_key_ignores_query_order_and_fragment() -> None:
    assert match_key("GET", "https://x.be/s?b=2&a=1") == match_key(
        "get", "https://x.be/s?a=1&b=2#f"
    )


def test_match_key_uses_body_for_post_only() -> None:
    assert match_key("POST", "https://x.be/", b"a")[2] == b"a"
    assert match_key("GET", "https://x.be/", b"a")[2] == b""
    assert match_key("POST", "https://x.be/", b"a") != match_key("POST", "https://x.be/", b"b")


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    Cassette(
        path,
        [
            Interaction(
                "GET", "https://x.be/a", 200, "héllo".encode(), {"Content-Type": ["text/html"]}
            ),
            Interaction("POST", "https://x.be/api", 201, b"{}", request_body=b'{"q": 1}'),
        ],
    ).save("first line\nsecond line")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# first line\n# second line\n")
    loaded = Cassette.load(path)
    found = loaded.find("GET", "https://x.be/a")
    assert found is not None
    assert (found.status, found.body, found.headers) == (
        200,
        "héllo".encode(),
        {"Content-Type": ["text/html"]},
    )
    assert loaded.find("POST", "https://x.be/api", b'{"q": 1}') is not None
    assert loaded.find("POST", "https://x.be/api", b'{"q": 2}') is None


def test_repeated_requests_get_answers_in_order_then_the_last(tmp_path: Path) -> None:
    cassette = Cassette(
        tmp_path / "c.yaml",
        [
            Interaction("GET", "https://x.be/a", 503, b"busy"),
            Interaction("GET", "https://x.be/a", 200, b"ok"),
        ],
    )
    assert [cassette.find("GET", "https://x.be/a").status for _ in range(3)] == [503, 200, 200]  # type: ignore[union-attr]


def test_cassette_written_by_vcrpy_is_replayed(tmp_path: Path, server: str) -> None:
    path = tmp_path / "vcr.yaml"
    with (
        vcr.use_cassette(str(path), record_mode="once"),
        urllib.request.urlopen(f"{server}/classified/7") as resp,
    ):
        live = resp.read()
    found = Cassette.load(path).find("GET", f"{server}/classified/7")
    assert found is not None
    assert found.body == live
    assert found.status == 200


def test_cassette_written_here_is_replayed_by_vcrpy(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    url = "http://127.0.0.1:9/never-fetched"
    Cassette(
        path, [Interaction("GET", url, 200, b"from the cassette", {"Content-Type": ["text/plain"]})]
    ).save("made by a test")
    with vcr.use_cassette(str(path), record_mode="none"), urllib.request.urlopen(url) as resp:
        assert resp.read() == b"from the cassette"


# -- middleware -----------------------------------------------------------------------------


def test_replay_miss_raises_and_is_counted(tmp_path: Path) -> None:
    Cassette(
        tmp_path / "crawl.yaml", [Interaction("GET", "https://x.be/a", 200, b"<html></html>")]
    ).save()
    crawler = get_crawler(settings_dict={"IMMOLIJST_REPLAY_DIR": str(tmp_path)})
    mw = CassetteMiddleware.from_crawler(crawler)
    mw.spider_opened()
    response = mw.process_request(Request("https://x.be/a"))
    assert isinstance(response, HtmlResponse)
    assert "cassette" in response.flags
    with pytest.raises(CassetteMissError, match=r"https://x\.be/b is not in cassette"):
        mw.process_request(Request("https://x.be/b"))
    assert crawler.stats is not None
    assert crawler.stats.get_value("immolijst/cassette_miss") == 1


def test_record_filters_cookies_and_secrets(tmp_path: Path) -> None:
    crawler = get_crawler(settings_dict={"IMMOLIJST_RECORD_DIR": str(tmp_path)})
    mw = CassetteMiddleware.from_crawler(crawler)
    mw.spider_opened()
    request = Request(
        "https://x.be/a",
        headers={
            "Cookie": "session=abc",
            "Authorization": "Bearer xyz",
            "Accept-Encoding": "gzip",
            "User-Agent": "immolijst/0.1",
        },
    )
    assert mw.process_request(request) is None
    assert b"Accept-Encoding" not in request.headers
    response = HtmlResponse(
        "https://x.be/a",
        body=b"<html>ok</html>",
        request=request,
        headers={"Set-Cookie": "session=abc", "Content-Type": "text/html"},
    )
    assert mw.process_response(request, response) is response
    mw.spider_closed()
    text = (tmp_path / "crawl.yaml").read_text(encoding="utf-8")
    assert "abc" not in text
    assert "xyz" not in text
    assert "immolijst/0.1" in text
    assert text.startswith("# LIVE recording")


# -- record a whole crawl from a local server, then replay it offline ----------------------

SCRIPT = """
import json, sys
from scrapy.crawler import CrawlerProcess
from scrapers.extract import Extraction
from scrapers.run import crawl_settings
from scrapers.spiders._base import STAT_PREFIX, SourceSpider

class LocalSpider(SourceSpider):
    name = "localtest"
    source = "immoweb"

    def search_urls(self):
        return [self.base + "/search?page=1"]

    def extract(self, response):
        if "/search" in response.url:
            items = json.loads(response.text)["items"]
            return Extraction(items=items, links=[i["url"] for i in items])
        return Extraction(items=[{"source": "immoweb", "url": response.url,
                                  "source_id": response.url.rsplit("/", 1)[-1],
                                  "bedrooms": int(response.css("#bedrooms::text").get())}])

mode, directory, db, base = sys.argv[1:5]
settings = crawl_settings(store_url=db, **{mode + "_dir": directory},
                          settings={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False})
process = CrawlerProcess(settings)
crawler = process.create_crawler(LocalSpider)
process.crawl(crawler, base=base, postcodes="8500")
process.start()
print(json.dumps(crawler.stats.get_value(STAT_PREFIX + "summary"), default=str))
"""


def _run_local(mode: str, directory: Path, db: Path, base: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-P", "-c", SCRIPT, mode, str(directory), f"sqlite:///{db}", base],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_record_mode_writes_a_replayable_cassette(tmp_path: Path, server: str) -> None:
    recorded = _run_local("record", tmp_path / "rec", tmp_path / "live.sqlite3", server)
    assert recorded["status"] == "complete"
    assert recorded["counts"]["seen"] == 2
    assert sorted(_Handler.hits) == [
        "/classified/1",
        "/classified/2",
        "/robots.txt",
        "/search?page=1",
    ]
    path = tmp_path / "rec" / "localtest.yaml"
    text = path.read_text(encoding="utf-8")
    assert "very-secret-cookie" not in text
    assert "immolijst/0.1 (+contact:" in text
    cassette = Cassette.load(path)
    assert sorted(it.url.removeprefix(server) for it in cassette.interactions) == sorted(
        _Handler.hits
    )
    hits_before = len(_Handler.hits)
    replayed = _run_local("replay", tmp_path / "rec", tmp_path / "replay.sqlite3", server)
    assert len(_Handler.hits) == hits_before  # nothing fetched live
    assert replayed["status"] == "complete"
    assert replayed["counts"]["seen"] == 2
    assert replayed["counts"]["pages"] == 3
