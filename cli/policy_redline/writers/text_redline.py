def redline_to_text(redline, *, color): raise NotImplementedError
