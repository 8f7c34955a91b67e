-- Which node delivers a pending outbox item: the node that stored it, or
-- the one that took it over. A node's start reads back its own pending
-- items only; other nodes' are taken over by its sweep once their node is
-- gone (or they are long past due). '' is a server that runs alone.
ALTER TABLE outbox ADD COLUMN node TEXT NOT NULL DEFAULT '';
