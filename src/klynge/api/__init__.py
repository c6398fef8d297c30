"""The REST API face: FastAPI routers over ``klynge.services``. See ``api/app.py``."""
