"""The service layer: one function per thing a user does, shared by every face.

The CLI, the REST API and the web pages parse their input, call a function here and render what
it returns. A service takes plain values (slugs, dates, paths, bytes, a language), returns a
pydantic model, and raises :class:`klynge.errors.KlyngeError` subclasses. It is the only layer
that joins the domain packages to storage.

One module per capability: ``landscape``, ``routing``, ``registry``, ``regions``, ``auth``.
"""
