"""The printed programme: the event programme and exhibitor catalogue PDF (builder), a
personal agenda (agenda), the `expo programme` command (cli) and the download (views)."""
