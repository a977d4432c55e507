"""The Mini App: the coordinator's desk and the volunteer's outing, served by the bot's own process."""
