"""Host-nation security vetting: participants' identity documents, sealed at rest and
read only by the event's security officers, and their verdict, apart from the
organiser's approval. With vetting on, a badge needs both."""
