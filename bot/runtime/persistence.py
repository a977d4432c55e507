"""PTB persistence on the bot's own SQLite file: conversation states and per-user drafts survive a
restart, in the same database as everything else (one file to back up, one place to erase from)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import ConversationDict, ConversationKey

from bot.storage.state import StateKey, StateRepository


class UserData(Protocol):
    def dumped(self) -> str | None:
        """What to store for the person; None when there is nothing."""


UD = TypeVar("UD", bound=UserData)


def _belongs(key: StateKey, person: int) -> bool:
    kind, raw = key
    if kind == "user_data":
        return raw == str(person)
    # Conversation keys are (chat id, user id): a private chat's id is its person's id.
    return person in json.loads(raw)


class SqlitePersistence(BasePersistence[UD, dict[str, Any], dict[str, Any]]):
    """Writes are buffered and committed by `commit()` together with the inbox's done-mark of the update.

    PTB also saves on a timer, possibly in the middle of an update (the conversation's new state before the
    draft it depends on); buffering keeps such a half-saved state from ever reaching the database.

    A person's data is stored as the text its `dumped()` gives and read back by `restore`."""

    def __init__(self, state: StateRepository, restore: Callable[[str], UD]) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False),
            update_interval=60,
        )
        self._state = state
        self._restore = restore
        self._pending: dict[StateKey, str | None] = {}

    async def commit(self, done_update_id: int | None = None, person: int | None = None) -> None:
        """Write what is pending, only the given person's if one is given (others may be mid-update)."""
        if person is None:
            changes, self._pending = self._pending, {}
        else:
            changes = {key: value for key, value in self._pending.items() if _belongs(key, person)}
            for key in changes:
                del self._pending[key]
        await self._state.commit(changes, done_update_id)

    async def get_user_data(self) -> dict[int, UD]:
        rows = await self._state.load("user_data")
        return {int(key): self._restore(value) for key, value in rows.items()}

    async def update_user_data(self, user_id: int, data: UD) -> None:
        self._pending["user_data", str(user_id)] = data.dumped()

    async def drop_user_data(self, user_id: int) -> None:
        self._pending["user_data", str(user_id)] = None

    async def get_conversations(self, name: str) -> ConversationDict:
        rows = await self._state.load(f"conversation:{name}")
        return {tuple(json.loads(key)): json.loads(value) for key, value in rows.items()}

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        value = None if new_state is None else json.dumps(new_state)
        self._pending[f"conversation:{name}", json.dumps(list(key))] = value

    # Chat data, bot data and callback data are not stored (store_data above); PTB still requires the methods.
    async def get_chat_data(self) -> dict[int, dict[str, Any]]:
        return {}

    async def get_bot_data(self) -> dict[str, Any]:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[str, Any]) -> None:
        return None

    async def update_bot_data(self, data: dict[str, Any]) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def refresh_user_data(self, user_id: int, user_data: UD) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[str, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[str, Any]) -> None:
        return None

    async def flush(self) -> None:
        await self.commit()
