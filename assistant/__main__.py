"""`python -m assistant` is the `fuentes` command."""
from .cli import main

main()
