"""Everything about running SPARQL, with no web framework in it.

``lexer``     the one tokenizer every check on query text reads
``guard``     refuses what must never reach an engine (size, nesting, operators, SERVICE, update)
``dataset``   the graphs a query runs over (protocol, FROM clauses, all held) and unknown graphs
``binding``   values bound as a VALUES block, for stores that cannot substitute
``results``   engine-independent answers and the W3C result formats
``sandbox``   killable worker processes for untrusted queries
``untrusted`` one untrusted query: guard → dataset → sandbox
``library``   our own .rq folders (pages, checker), run with bound values
``saved``     the saved queries (``queries/*.rq``): header, parameters, binding
``errors``    one exception kind per cause; the web app maps them to HTTP statuses
"""
