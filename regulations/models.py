"""The register of provisions under review.

Proposals with their compliance cost, and the approved changes.
"""
