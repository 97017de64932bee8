"""The presentation checker: "should I see a doctor?", answered by the OWL reasoner, with reasons.

What a person enters (warning features, suspected triggers, a diagnosed condition) becomes an
individual of the ontology's presentation class; the escalation is the defined class the reasoner
puts it in (an in-process OWL 2 RL reasoner on the fast path, proven to agree with HermiT on every
combination); the reasons are the article's words, read from the graph. No Python code encodes
the article's criteria.
"""

from .checker import KINDS, Checker
from .choices import Choices, UnknownChoice
from .model import Answer, Item, Presentation

__all__ = ["KINDS", "Answer", "Checker", "Choices", "Item", "Presentation", "UnknownChoice"]
