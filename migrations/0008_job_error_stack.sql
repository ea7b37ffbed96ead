-- A failed job keeps the stack of its error (for a bug report), beside the message people read.
ALTER TABLE jobs ADD COLUMN error_stack TEXT;
