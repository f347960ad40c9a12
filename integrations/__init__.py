"""The outside world behind small interfaces, each with a real adapter and a simulator.

Nothing here imports ``schema``, ``resolvers`` or ``models``.
"""
