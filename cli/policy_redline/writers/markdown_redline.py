def redline_to_markdown(redline): raise NotImplementedError
