-- One open request per phone number, enforced by the database too (two confirmations racing on
-- PostgreSQL cannot both pass the check the conversation makes).
CREATE UNIQUE INDEX requests_open_phone ON requests (phone)
    WHERE status NOT IN ('active', 'rejected', 'cancelled', 'expired');
