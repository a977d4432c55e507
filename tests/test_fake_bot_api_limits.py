"""The fake Bot API answers like Telegram on Telegram's limits: what Telegram refuses gets its 400 and its
description, what it accepts is accepted, and a reader's view escaped twice is flagged. The test suite fails
a test whose bot broke a limit, unless the test says it expects it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.fake_bot_api import TOKEN, FakeBotApi

CHAT = 4242
ROOT = Path(__file__).resolve().parent.parent


def call(api: FakeBotApi, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        f"{api.base_url}/bot{TOKEN}/{method}",
        data=json.dumps({"chat_id": CHAT, **params}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def refused(api: FakeBotApi, method: str, **params: Any) -> str:
    status, body = call(api, method, **params)
    assert status == 400 and body["ok"] is False and body["error_code"] == 400, body
    return str(body["description"])


def keyboard(*rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"inline_keyboard": list(rows)}


def test_a_text_of_4096_characters_once_the_html_is_read_is_sent_and_one_more_is_refused(refusals: FakeBotApi) -> None:
    # Tags and entities are not counted: 4,096 visible characters in far more bytes of HTML.
    fits = "<b>" + "&amp;" * 4000 + "</b>" + "x" * 96
    assert call(refusals, "sendMessage", text=fits, parse_mode="HTML")[0] == 200
    assert refused(refusals, "sendMessage", text=fits + "y", parse_mode="HTML") == "Bad Request: message is too long"
    assert [r.description for r in refusals.refusals] == ["Bad Request: message is too long"]


def test_length_is_counted_in_utf16_code_units_as_telegram_counts_it(refusals: FakeBotApi) -> None:
    # An emoji beyond the 16-bit plane counts two: 2,048 of them fill a message, one letter more is too long.
    assert call(refusals, "sendMessage", text="😀" * 2048)[0] == 200
    assert refused(refusals, "sendMessage", text="😀" * 2048 + "a") == "Bad Request: message is too long"


def test_an_empty_text_or_one_of_tags_and_spaces_only_is_refused(refusals: FakeBotApi) -> None:
    assert refused(refusals, "sendMessage", text="") == "Bad Request: message text is empty"
    assert refused(refusals, "sendMessage", text=" <b> </b>\n", parse_mode="HTML") == (
        "Bad Request: message text is empty"
    )


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("Anne & Paul <3 toujours", 'Unsupported start tag "3" at byte offset 12'),
        ("Anne & Paul <3", "Unclosed start tag at byte offset 12"),
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("é <b>gras", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b class>x</b>", 'Expected equal sign in declaration of an attribute of the tag "b" at byte offset 0'),
        ('<span class="rouge">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("a <b", "Unclosed start tag at byte offset 2"),
    ],
)
def test_markup_telegram_cannot_parse_is_refused_with_its_words(
    refusals: FakeBotApi, text: str, description: str
) -> None:
    assert refused(refusals, "sendMessage", text=text, parse_mode="HTML") == (
        f"Bad Request: can't parse entities: {description}"
    )


def test_what_telegram_reads_in_html_is_accepted(refusals: FakeBotApi) -> None:
    for text in (
        '<b>Anne</b> &amp; <i>Paul</i> &lt;3 &quot;ok&quot; &#233;t&#xE9; <a href="https://osm.org/?a=1&amp;b=2">x</a>',
        "R&D and &copy; stay as they are",
        '<blockquote expandable>q</blockquote> <span class="tg-spoiler">s</span> <pre><code class="language-py">'
        "x</code></pre>",
    ):
        assert call(refusals, "sendMessage", text=text, parse_mode="HTML")[0] == 200
    assert refusals.refusals == [] and refusals.flags == []


def test_without_parse_mode_the_text_is_taken_as_it_is(refusals: FakeBotApi) -> None:
    assert call(refusals, "sendMessage", text="<div> & </b>")[0] == 200


def test_a_caption_over_1024_characters_is_refused(refusals: FakeBotApi) -> None:
    assert (
        call(refusals, "sendDocument", document="x", caption="<b>" + "é" * 1024 + "</b>", parse_mode="HTML")[0] == 200
    )
    assert refused(refusals, "sendDocument", document="x", caption="é" * 1025) == (
        "Bad Request: message caption is too long"
    )
    assert refused(refusals, "sendPhoto", photo="x", caption="<i>x", parse_mode="HTML").startswith(
        "Bad Request: can't parse entities:"
    )


def test_callback_data_over_64_bytes_or_empty_is_refused(refusals: FakeBotApi) -> None:
    # 32 "é" are 64 bytes in UTF-8: the limit is on bytes, not characters.
    fits = keyboard([{"text": "ok", "callback_data": "é" * 32}])
    assert call(refusals, "sendMessage", text="x", reply_markup=fits)[0] == 200
    for data in ("é" * 32 + "a", ""):
        markup = keyboard([{"text": "ok", "callback_data": data}])
        assert refused(refusals, "sendMessage", text="x", reply_markup=markup) == "Bad Request: BUTTON_DATA_INVALID"


def test_more_than_100_buttons_is_refused(refusals: FakeBotApi) -> None:
    rows = [[{"text": str(n), "callback_data": str(n)} for n in range(r * 8, r * 8 + 8)] for r in range(12)]
    assert (
        call(
            refusals, "sendMessage", text="x", reply_markup=keyboard(*rows, [{"text": "a", "callback_data": "a"}] * 4)
        )[0]
        == 200
    )
    assert refused(
        refusals, "sendMessage", text="x", reply_markup=keyboard(*rows, [{"text": "a", "callback_data": "a"}] * 5)
    ) == ("Bad Request: reply markup is too long")


@pytest.mark.parametrize(
    ("button", "description"),
    [
        ({"text": "rien"}, "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"),
        ({"callback_data": "x"}, "can't parse inline keyboard button: Can't find field \"text\""),
        ({"text": "carte", "url": "osm.org/x"}, "BUTTON_URL_INVALID"),
    ],
)
def test_a_button_of_an_invalid_shape_is_refused(
    refusals: FakeBotApi, button: dict[str, Any], description: str
) -> None:
    assert refused(refusals, "sendMessage", text="x", reply_markup=keyboard([button])) == f"Bad Request: {description}"


def test_an_edit_is_held_to_the_same_limits(refusals: FakeBotApi) -> None:
    _, sent = call(refusals, "sendMessage", text="court")
    message_id = sent["result"]["message_id"]
    assert refused(refusals, "editMessageText", message_id=message_id, text="x" * 4097) == (
        "Bad Request: message is too long"
    )
    assert refused(refusals, "editMessageText", message_id=message_id, text="<p>x</p>", parse_mode="HTML").startswith(
        "Bad Request: can't parse entities: Unsupported start tag"
    )
    assert refusals.messages[(CHAT, message_id)].text == "court"


def test_a_callback_answer_over_200_characters_is_refused(refusals: FakeBotApi) -> None:
    assert call(refusals, "answerCallbackQuery", callback_query_id="1", text="x" * 200)[0] == 200
    assert refused(refusals, "answerCallbackQuery", callback_query_id="1", text="x" * 201).startswith("Bad Request")


def test_a_command_menu_telegram_cannot_show_is_refused(refusals: FakeBotApi) -> None:
    assert call(refusals, "setMyCommands", commands=[{"command": "plan", "description": "Planifier"}])[0] == 200
    for command in ({"command": "Plan", "description": "x"}, {"command": "plan", "description": "x" * 257}):
        assert refused(refusals, "setMyCommands", commands=[command]) == "Bad Request: BOT_COMMAND_INVALID"


def test_text_escaped_twice_is_accepted_but_flagged(refusals: FakeBotApi) -> None:
    assert call(refusals, "sendMessage", text="Anne &amp;amp; Paul", parse_mode="HTML")[0] == 200
    assert (
        call(
            refusals,
            "sendMessage",
            text="ok",
            reply_markup=keyboard([{"text": "Léa &amp; Hugo", "callback_data": "x"}]),
        )[0]
        == 200
    )
    assert call(refusals, "sendMessage", text="Anne &amp; Paul &lt;3", parse_mode="HTML")[0] == 200
    assert [flag.entities for flag in refusals.flags] == [("&amp;",), ("&amp;",)]
    assert refusals.refusals == []


def test_a_message_to_edit_that_is_gone_is_telegrams_answer_the_bot_copes_with_not_a_limit(
    fake_api: FakeBotApi,
) -> None:
    assert refused(fake_api, "editMessageText", message_id=999, text="x") == "Bad Request: message to edit not found"
    assert fake_api.refusals == []


OFFENDING_TEST = """
import json, urllib.request
import pytest
from tests.fake_bot_api import TOKEN
from tests.known_defects import known_defect

def send(api, text):
    request = urllib.request.Request(
        f"{api.base_url}/bot{TOKEN}/sendMessage",
        data=json.dumps({"chat_id": 1, "text": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        urllib.request.urlopen(request, timeout=10)
    except Exception:
        pass

def test_silent_refusal(fake_api):
    send(fake_api, "x" * 5000)

@pytest.mark.telegram_refusals
def test_declared_by_marker(fake_api):
    send(fake_api, "x" * 5000)

def test_declared_by_fixture(refusals):
    send(refusals, "x" * 5000)

@known_defect("a known defect")
def test_known_defect(fake_api):
    send(fake_api, "x" * 5000)

@known_defect("a known defect")
def test_known_defect_and_another_failure(fake_api):
    send(fake_api, "Anne &amp;amp; Paul")
    assert False, "another failure"

@known_defect("mended")
def test_mended_defect(fake_api):
    send(fake_api, "court")
"""


def test_a_test_whose_bot_breaks_a_limit_fails_unless_it_says_it_expects_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest("from tests.conftest import *  # noqa: F403\n")
    pytester.makepyfile(test_offending=OFFENDING_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=3, xfailed=1)
    outcome = "\n".join(result.outlines)
    assert "sendMessage to 1: Bad Request: message is too long" in outcome
    assert "FAILED test_offending.py::test_silent_refusal" in outcome
    assert "FAILED test_offending.py::test_known_defect_and_another_failure" in outcome
    assert "FAILED test_offending.py::test_mended_defect" in outcome
