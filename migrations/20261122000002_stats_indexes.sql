-- Indexes the shipped stats need.
-- members, signups: count live members, find the newest, and range-scan them by join date.
CREATE INDEX users_deleted_at_created_at_id ON users (deleted_at, created_at, id);
-- members (invited by a mentor), mentors: find who a user invited, live ones only.
CREATE INDEX users_invited_by_deleted_at ON users (invited_by, deleted_at);
-- mentors: list live mentors without scanning every member.
CREATE INDEX users_is_mentor_deleted_at ON users (is_mentor, deleted_at);
