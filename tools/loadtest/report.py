"""What the bench and the soak test print: progress on stderr, tables on stdout."""

import sys


def say(message):
    """Progress, on stderr: stdout holds only the tables."""
    print(message, file=sys.stderr, flush=True)


def print_table(header, lines):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]
    print()
    for line in (header, tuple("-" * w for w in widths), *lines):
        cells = (str(cell).ljust(width) for cell, width in zip(line, widths, strict=True))
        print(" | ".join(cells).rstrip())
    print()
