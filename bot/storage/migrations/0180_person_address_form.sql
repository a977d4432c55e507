-- How the visitors address a person followed: Madame, Monsieur, or by first name. NULL: not said yet. The
-- sentences about the person agree with Madame or Monsieur; by first name, or unsaid, they need no agreement.
ALTER TABLE persons ADD COLUMN address_as TEXT CHECK (address_as IN ('madame', 'monsieur', 'first_name'));
