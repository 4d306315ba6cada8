"""The optional generation service, against a local fake server that follows
the OpenAI chat-completions API: good answers are suggestions; a hanging
server, errors and garbage fall back to the offline rules with a notice."""

# ruff: noqa: F401, F811 - pytest fixtures imported by name

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rongmei import config
from rongmei.stories.tests.conftest import api
from rongmei.versions import generation
from rongmei.versions.tests._fixtures import channels, department, full_story, newsroom, photo, video

TITLE = "西城区新增十家社区养老服务驿站，预计年内全部投入使用并向辖区老人开放"
BODY = "记者从区民政局获悉，今年西城区新增十家社区养老服务驿站。驿站提供助餐、助浴等服务。"


class FakeLLM(BaseHTTPRequestHandler):
    """Answers by the path: /ok, /hang, /garbage, /shape, /error, /binary."""

    answer = ""
    requests: list = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        payload = json.loads(self.rfile.read(length))
        FakeLLM.requests.append((self.path, self.headers.get("Authorization"), payload))
        mode = self.path.split("/")[1]
        if not self.path.endswith("/v1/chat/completions"):
            return self._send(404, b'{"error": {"message": "not found"}}')
        if mode == "hang":
            time.sleep(3)
            return self._send(200, b"{}")
        if mode == "garbage":
            return self._send(200, b"<html>502 Bad Gateway</html>")
        if mode == "shape":
            return self._send(200, json.dumps({"choices": []}).encode())
        if mode == "error":
            return self._send(500, b'{"error": {"message": "overloaded", "type": "server_error"}}')
        content = FakeLLM.answer if mode == "ok" else "\ufffd\ufffd\x00\x01"
        body = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": payload["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }
        return self._send(200, json.dumps(body, ensure_ascii=False).encode())

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def fake_llm():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLLM)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeLLM.requests = []

    def configured(mode):
        env = {
            "RONGMEI_LLM_URL": f"http://127.0.0.1:{server.server_port}/{mode}/v1",
            "RONGMEI_LLM_MODEL": "qwen-test",
            "RONGMEI_LLM_KEY": "sk-test",
            "RONGMEI_LLM_TIMEOUT": "1",
        }
        return config.llm(env)

    yield configured
    server.shutdown()
    server.server_close()


def test_headline_options_from_the_service_are_suggestions(fake_llm):
    FakeLLM.answer = "1. 西城新增十家养老驿站\n2、“家门口的养老驿站来了”\n- “助餐助浴”进社区\n\n" + "长" * 60
    suggestion = generation.headline_options(TITLE, BODY, config=fake_llm("ok"))
    assert suggestion.source == "llm" and suggestion.notice == ""
    assert suggestion.options == ["西城新增十家养老驿站", "家门口的养老驿站来了", "“助餐助浴”进社区"]
    path, authorization, payload = FakeLLM.requests[0]
    assert path == "/ok/v1/chat/completions" and authorization == "Bearer sk-test"
    assert payload["model"] == "qwen-test" and payload["messages"][-1]["role"] == "user"


def test_translation_from_the_service_and_chinese_back_is_garbage(fake_llm):
    FakeLLM.answer = "Xicheng adds ten community elderly-care stations."
    suggestion = generation.translate(BODY, config=fake_llm("ok"))
    assert suggestion.source == "llm" and suggestion.options == [FakeLLM.answer]
    FakeLLM.answer = "西城区新增十家社区养老服务驿站。"
    suggestion = generation.translate(BODY, config=fake_llm("ok"))
    assert suggestion.source == "offline" and suggestion.options == [] and suggestion.notice


@pytest.mark.parametrize("mode", ["hang", "garbage", "shape", "error", "binary"])
def test_a_hanging_failing_or_garbage_service_falls_back_offline_with_a_notice(fake_llm, mode):
    generation.headline_options(TITLE, BODY, config=None)  # load jieba's dictionary outside the timing
    started = time.monotonic()
    suggestion = generation.headline_options(TITLE, BODY, config=fake_llm(mode))
    assert time.monotonic() - started < 2.5  # the 1-second timeout, not the server's 3 s
    assert suggestion.source == "offline" and suggestion.notice
    assert suggestion.options[0] == TITLE and all(len(option) <= len(TITLE) for option in suggestion.options)
    rewrite = generation.rewrite(BODY, limit=30, config=fake_llm(mode))
    assert rewrite.source == "offline" and rewrite.notice and len(rewrite.options[0]) <= 30


def test_an_unreachable_service_falls_back(fake_llm):
    unreachable = config.LLMConfig(url="http://127.0.0.1:9/v1", model="m", key="", timeout=1)
    suggestion = generation.rewrite(BODY, limit=30, config=unreachable)
    assert suggestion.source == "offline" and suggestion.notice


def test_without_a_service_the_offline_rules_answer_quietly(monkeypatch):
    monkeypatch.delenv("RONGMEI_LLM_URL", raising=False)
    suggestion = generation.headline_options(TITLE, BODY)
    assert suggestion.source == "offline" and suggestion.notice == "" and suggestion.options[0] == TITLE
    assert generation.translate(BODY).notice  # an editor translates


def test_configuration_errors_are_explained():
    with pytest.raises(config.ConfigError, match="RONGMEI_LLM_MODEL"):
        config.llm({"RONGMEI_LLM_URL": "http://llm.internal/v1"})
    with pytest.raises(config.ConfigError, match="http"):
        config.llm({"RONGMEI_LLM_URL": "llm.internal", "RONGMEI_LLM_MODEL": "m"})
    with pytest.raises(config.ConfigError, match="RONGMEI_LLM_TIMEOUT"):
        config.llm({"RONGMEI_LLM_URL": "http://x/v1", "RONGMEI_LLM_MODEL": "m", "RONGMEI_LLM_TIMEOUT": "soon"})
    assert config.llm({}) is None


@pytest.mark.django_db
def test_the_api_offers_suggestions_from_the_service_or_offline(fake_llm, monkeypatch, api, newsroom, full_story):
    from rongmei.core import roles

    editor = newsroom[roles.EDITOR]
    versions = api(editor).post(f"/stories/{full_story.pk}/versions/generate", {}).json()
    version = next(v for v in versions if v["format"] == "website_en")
    url = f"/stories/{full_story.pk}/versions/{version['id']}/suggest"
    offline = api(editor).post(url, {"kind": "headlines"}).json()
    assert offline["source"] == "offline" and offline["notice"] == "" and offline["options"]

    service = fake_llm("ok")
    monkeypatch.setenv("RONGMEI_LLM_URL", service.url)
    monkeypatch.setenv("RONGMEI_LLM_MODEL", service.model)
    monkeypatch.setenv("RONGMEI_LLM_TIMEOUT", "1")
    FakeLLM.answer = "Xicheng adds ten community elderly-care stations."
    translated = api(editor).post(url, {"kind": "translation"}).json()
    assert translated == {"kind": "translation", "options": [FakeLLM.answer], "source": "llm", "notice": ""}

    monkeypatch.setenv("RONGMEI_LLM_URL", fake_llm("hang").url)
    hanging = api(editor).post(url, {"kind": "rewrite", "limit": 40}).json()
    assert hanging["source"] == "offline" and hanging["notice"] and len(hanging["options"][0]) <= 40
    assert api(newsroom[roles.FINANCE]).post(url, {"kind": "headlines"}).status_code == 403


@pytest.mark.django_db
def test_the_editor_buttons_ask_for_suggestions_and_save_nothing(fake_llm, monkeypatch, client, newsroom, full_story):
    from django.urls import reverse

    from rongmei.core import roles
    from rongmei.versions import actions, views

    actions.generate_versions(full_story, user=newsroom[roles.EDITOR])
    english = next(v for v in views.story_versions(full_story) if v.channel.language == "en")
    client.force_login(newsroom[roles.EDITOR])
    page = client.get(reverse("wagtailsnippets_stories_story:edit", args=[full_story.pk])).content.decode()
    url = reverse("versions:suggest", args=[full_story.pk, english.pk])
    assert "versions/suggest.js" in page and f'data-url="{url}"' in page
    assert 'data-kind="translation"' in page  # only the English version offers a translation

    monkeypatch.setenv("RONGMEI_LLM_URL", fake_llm("ok").url)
    monkeypatch.setenv("RONGMEI_LLM_MODEL", "qwen-test")
    FakeLLM.answer = "Xicheng adds ten community elderly-care stations."
    before = english.title
    answer = client.post(url, {"kind": "translation"}).json()
    assert answer == {"kind": "translation", "options": [FakeLLM.answer], "source": "llm", "notice": ""}
    assert views.find_version(full_story, english.pk).title == before  # a suggestion, not a change

    monkeypatch.setenv("RONGMEI_LLM_URL", fake_llm("garbage").url)
    rewrite = client.post(url, {"kind": "rewrite", "limit": "30"}).json()
    assert rewrite["source"] == "offline" and rewrite["notice"] and len(rewrite["options"][0]) <= 30
    assert client.post(url, {"kind": "poem"}).status_code == 400
    assert client.get(url).status_code == 405
    client.force_login(newsroom[roles.FINANCE])
