def redline_to_html(redline, *, heading=None): raise NotImplementedError
