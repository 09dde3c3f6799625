"""Feedback on regulations from citizens and businesses (PAKN).

Decree 20/2008/ND-CP as amended by Decree 92/2017/ND-CP.
"""
