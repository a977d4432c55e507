"""The words every layer shares: roles, kinds, statuses, channels, outcomes, the records read above storage,
and the typed actions a button calls back. Imports nothing of the bot but itself, and no Telegram."""
