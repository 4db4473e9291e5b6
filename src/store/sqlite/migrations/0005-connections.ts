/**
 * Migration 0005: connections (CodeConnections). Never edit once released. `list_key` is the
 * creation time and id, fixed width, so a page is one primary-key range.
 */
export const sql = `
CREATE TABLE connections (
  account_id      TEXT    NOT NULL,
  region          TEXT    NOT NULL,
  connection_id   TEXT    NOT NULL,
  list_key        TEXT    NOT NULL,
  record          TEXT    NOT NULL,
  PRIMARY KEY (account_id, region, connection_id)
) WITHOUT ROWID;

CREATE UNIQUE INDEX connections_by_list_key ON connections (account_id, region, list_key);
`;
