"""People in the tests: they type, tap buttons and share pins through the fake Bot API, and wait for
the bot's answers the way a person reads their chat."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from typing import Any

from tests.catalogue import Fragment, reader_language, shows
from tests.fake_bot_api import FakeBotApi, Sent

WAIT_S = 15.0  # a liveness bound, not a timing assertion: a correct bot answers in milliseconds
_callback_ids = itertools.count(1)


async def eventually(condition: Callable[[], bool], what: str, wait_s: float = WAIT_S) -> None:
    """Wait until the condition holds, as a person would look at their chat again."""
    deadline = time.monotonic() + wait_s
    while True:
        if condition():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        await asyncio.sleep(0.02)


class FakeUser:
    def __init__(self, api: FakeBotApi, user_id: int, first_name: str = "Marie", language_code: str = "fr") -> None:
        self.api = api
        self.id = user_id
        self.first_name = first_name
        self.language_code = language_code
        # The catalogue they read: the bot's pick from Telegram's language, until they choose with /language.
        self.language = reader_language(language_code)
        self._mark = 0
        self.last_callback_id = ""

    @property
    def sender(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }

    def _message(self, **content: Any) -> dict[str, Any]:
        return {
            "message_id": int(time.time() * 1000) % 1_000_000_000,
            "date": int(time.time()),
            "chat": {"id": self.id, "type": "private", "first_name": self.first_name},
            "from": self.sender,
            **content,
        }

    def _push(self, payload: dict[str, Any]) -> int:
        self._mark = len(self.api.sent_to(self.id))
        return self.api.push_update(payload)

    def send(self, text: str) -> int:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._push({"message": self._message(**content)})

    def edit(self, text: str) -> int:
        """Correct a message already sent into `text`, as Telegram lets one do."""
        return self._push({"edited_message": {**self._message(text=text), "edit_date": int(time.time())}})

    def send_document(self, file_name: str, content: bytes, mime_type: str = "text/csv") -> int:
        file_id = self.api.upload(content)
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        return self._push({"message": self._message(document=document)})

    def share_location(self, lat: float, lon: float) -> int:
        return self._push({"message": self._message(location={"latitude": lat, "longitude": lon})})

    def press(self, label: Fragment) -> int:
        """Tap the most recent button whose label shows `label`."""
        for sent in reversed(self.api.sent_to(self.id)):
            current = self.api.messages.get((sent.chat_id, sent.message_id))
            for button in current.buttons() if current else ():
                if shows(button["text"], label, self.language):
                    return self.press_data(button["callback_data"], sent.message_id)
        raise AssertionError(f"no button {label} in chat {self.id}: {self.transcript()}")

    def screen(self) -> Sent:
        """The last message sent to this user that has buttons, as it shows now (after its edits)."""
        for sent in reversed(self.api.sent_to(self.id)):
            current = self.api.messages.get((sent.chat_id, sent.message_id))
            if current is not None and current.buttons():
                return current
        raise AssertionError(f"no buttons in chat {self.id}: {self.transcript()}")

    def keyboard(self) -> list[dict[str, Any]]:
        """The big buttons under the message field, as the last message that set them left them (none once
        a message put them away)."""
        for sent in reversed(self.api.sent_to(self.id)):
            markup = sent.reply_markup or {}
            if "keyboard" in markup:
                return [button for row in markup["keyboard"] for button in row]
            if markup.get("remove_keyboard"):
                return []
        return []

    def tap(self, label: Fragment) -> int:
        """Tap a big button under the message field that sends its label (the location's is `share_location`)."""
        for button in self.keyboard():
            if self.shown(button["text"], label) and not button.get("request_location"):
                return self.send(button["text"])
        raise AssertionError(f"no big button {label!r} in chat {self.id}: {self.keyboard()}")

    def press_data(self, data: str, message_id: int = 1) -> int:
        """Send callback data as a client may, including data never offered to this user."""
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "text": "…",
            "chat": {"id": self.id, "type": "private"},
            "from": {"id": 1, "is_bot": True, "first_name": "Lien"},
        }
        self.last_callback_id = str(next(_callback_ids))
        return self._push(
            {
                "callback_query": {
                    "id": self.last_callback_id,
                    "from": self.sender,
                    "chat_instance": str(self.id),
                    "message": message,
                    "data": data,
                }
            }
        )

    def reads_from_now(self) -> FakeUser:
        """What `expect` waits for: messages from now on, not those the chat already holds."""
        self._mark = len(self.api.sent_to(self.id))
        return self

    def new_messages(self) -> list[Sent]:
        return self.api.sent_to(self.id)[self._mark :]

    def shown(self, text: str, fragment: Fragment) -> bool:
        """Whether `text` shows the fragment to this person (a catalogue message in their language)."""
        return shows(text, fragment, self.language)

    def received(self, *fragments: Fragment) -> list[Sent]:
        """Every message (or edit) this user was ever sent that shows every fragment."""
        return [sent for sent in self.api.sent_to(self.id) if all(self.shown(sent.text, f) for f in fragments)]

    async def expect(self, *fragments: Fragment) -> Sent:
        """Wait for a new message (or edit) to this user showing every fragment."""
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            for sent in self.new_messages():
                if all(self.shown(sent.text, fragment) for fragment in fragments):
                    return sent
            await asyncio.sleep(0.01)
        wanted = ", ".join(map(str, fragments))
        raise AssertionError(f"{self.first_name} never got {wanted}; chat: {self.transcript()}")

    async def expect_button(self, label: Fragment) -> Sent:
        """Wait for a new message (or edit) to this user with a button whose label shows `label`."""
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            for sent in self.new_messages():
                if any(self.shown(button["text"], label) for button in sent.buttons()):
                    return sent
            await asyncio.sleep(0.01)
        raise AssertionError(f"{self.first_name} never got a button {label}; chat: {self.transcript()}")

    async def expect_alert(self, fragment: Fragment) -> dict[str, Any]:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            for answer in self.api.callback_answers:
                if self.shown(str(answer.get("text", "")), fragment):
                    return answer
            await asyncio.sleep(0.01)
        raise AssertionError(f"no alert {fragment}: {self.api.callback_answers}")

    def transcript(self) -> list[str]:
        return [s.text[:80] for s in self.api.sent_to(self.id)]
