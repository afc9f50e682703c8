"""policy-redline: read a police department's ICE-cooperation policy, measure it clause by
clause against a strong model policy and the Lexipol template, and draft the fix.

The pipeline runs one way -- ingest, segment, align, judge, draft, redline, render -- and
each stage takes and returns plain data, so the library can be used without the CLI.
"""

__version__ = "0.1.0"
