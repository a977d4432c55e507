-- The "/" menu last given to each person with a menu of their own (coordinators, professionals, volunteers):
-- lets a restart skip what is unchanged and take back the menu of whoever lost their role meanwhile.
CREATE TABLE command_menus (
    telegram_id  INTEGER PRIMARY KEY,
    menu         TEXT NOT NULL      -- language, then the commands in order: "fr:plan,week,..."
);
