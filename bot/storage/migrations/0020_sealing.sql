-- Free text and phone numbers are sealed (encrypted) with a key kept outside the database. This row, sealed
-- with that key, tells at start whether the key given is the one the data was sealed with.
CREATE TABLE data_key_check (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT NOT NULL
);
