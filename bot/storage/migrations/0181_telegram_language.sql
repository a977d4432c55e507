-- The language of the user's Telegram app, as it last wrote ("fr", "es-ES"): their notices are written in it
-- when they have not chosen one with /language (`language`), rather than in the town's.
ALTER TABLE users ADD COLUMN telegram_language TEXT;
