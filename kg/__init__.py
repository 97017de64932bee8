"""twitch-kg: a reasoned linked-data knowledge graph built from one health article."""

__version__ = "2.0.0"
