-- Every change of a week's visits (one added, a status, a pair, an answer, a visit gone with a person's file)
-- counts on its plan: a repair worked out from the week as it was is written only if the count has not moved.
ALTER TABLE week_plans ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER visits_added AFTER INSERT ON visits
BEGIN
    UPDATE week_plans SET revision = revision + 1 WHERE id = NEW.plan_id;
END;
CREATE TRIGGER visits_changed
AFTER UPDATE OF status, first_volunteer, second_volunteer, first_answer, second_answer ON visits
BEGIN
    UPDATE week_plans SET revision = revision + 1 WHERE id = NEW.plan_id;
END;
CREATE TRIGGER visits_gone AFTER DELETE ON visits
BEGIN
    UPDATE week_plans SET revision = revision + 1 WHERE id = OLD.plan_id;
END;
