"""The web layer's one request path (rh) and its access levels (access)."""
