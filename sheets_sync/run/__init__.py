"""One client's run: the locked pipeline (read, validate, compute, send, write), the send step and
its journal, files written beside the workbook, new-client, doctor and chat-test."""
