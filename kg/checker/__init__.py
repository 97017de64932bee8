"""The presentation checker: "should I see a doctor?", answered by the OWL reasoner, with reasons.

What a person enters (warning features, other symptoms as typed, suspected triggers, a diagnosed
condition) becomes an individual of the ontology's presentation class; the escalation is the defined class the reasoner
puts it in (an in-process OWL 2 RL reasoner on the fast path, proven to agree with HermiT on every
combination); the reasons are the article's words, read from the graph. No Python code encodes
the article's criteria.
"""

from .checker import INPUTS, KINDS, MAX_SYMPTOM_LENGTH, MAX_SYMPTOMS, Checker
from .choices import Choices, RejectedInput, UnknownChoice
from .model import Answer, Item, Presentation

__all__ = ["INPUTS", "KINDS", "MAX_SYMPTOMS", "MAX_SYMPTOM_LENGTH", "Answer", "Checker", "Choices", "Item",
           "Presentation", "RejectedInput", "UnknownChoice"]
