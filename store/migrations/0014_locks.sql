-- Named locks shared by every replica (a resumable upload's, while one
-- request writes to it): held by one holder until released or until the
-- lease runs out, so a replica that dies frees its locks by the clock.
CREATE TABLE locks (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    lease_until TEXT NOT NULL
);
