-- How to get in (door code, floor, "ring twice"): the one part of a person's file a visiting pair is shown
-- besides the first name and the address. Sealed, like the phone number.
ALTER TABLE persons ADD COLUMN access_notes TEXT;
