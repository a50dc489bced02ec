-- Where each request was posted for staff (a message in a Telegram group), so that the post
-- can be edited when the request moves.
CREATE TABLE staff_posts (
    request_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    post TEXT NOT NULL,
    PRIMARY KEY (request_id, channel)
);

-- Questions the bot put to a staff member (the reason for a rejection or for asking
-- information), answered by replying to the question's message.
CREATE TABLE staff_prompts (
    channel TEXT NOT NULL,
    prompt TEXT NOT NULL,
    reference TEXT NOT NULL,
    action TEXT NOT NULL,
    field TEXT,
    asked_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (channel, prompt)
);
