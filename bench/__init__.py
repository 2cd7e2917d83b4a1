"""The figures of DESIGN.md, measured on a demo store (1,000,000 customers by default).

Run ``python -m bench`` (``make bench``). It prints a table ``figure | target | measured | ok?`` and
writes the same as JSON to ``bench/results/latest.json``. Nothing here asserts on a time: the
numbers are for people to read, the machine they ran on is noisy.
"""
