-- 站内消息 (issue 17): a message to one account when something of its office's changes (an application
-- returned or decided, a filing approved or returned, a notice acknowledged or sent back) or a report is overdue.
-- Rows, not process memory, so every portal process shows the same inbox. A change writes its messages in its
-- own transaction; a sweep writes each overdue reminder once per account (dedupe_key).
CREATE TABLE messages (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id),
    kind       text NOT NULL CHECK (kind IN ('application', 'filing', 'notice', 'work_report')),
    subject    text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 300),
    href       text NOT NULL DEFAULT '' CHECK (href = '' OR href LIKE '/%'),
    dedupe_key text,
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at    timestamptz,
    version    integer NOT NULL DEFAULT 1,
    UNIQUE (account_id, dedupe_key)
);
-- The inbox, newest first, and the header's unread count: both ranges over one account's rows.
CREATE INDEX messages_inbox_idx ON messages (account_id, id DESC);
CREATE INDEX messages_unread_idx ON messages (account_id) WHERE read_at IS NULL;
