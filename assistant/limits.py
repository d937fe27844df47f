"""Search modes, `k` and every size limit of a question, defined once for the library, the CLI and the HTTP API."""
from __future__ import annotations

from index.errors import FuentesError

MODES = ("dense", "lexical", "hybrid")
DEFAULT_MODE = "hybrid"
DEFAULT_K = 5          # passages an answer considers
DEFAULT_SEARCH_K = 10  # hits a search returns
MAX_K = 50
MAX_QUESTION_CHARS = 1000
MAX_DOC_IDS = 100
# A conversation is bounded so one request cannot make the assistant re-read a novel.
MAX_HISTORY_TURNS = 20
MAX_HISTORY_TURN_CHARS = MAX_QUESTION_CHARS


def check_k(k: int) -> None:
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise FuentesError(f"k must be an integer from 1 to {MAX_K}, got {k!r}")


def check_question(question: str) -> str:
    """The question stripped; empty or oversized questions are refused with what to do."""
    if not isinstance(question, str) or not question.strip():
        raise FuentesError("the question is empty: ask something, e.g. \"What did Peskov say?\"")
    if len(question) > MAX_QUESTION_CHARS:
        raise FuentesError(f"the question has {len(question)} characters; at most {MAX_QUESTION_CHARS} are "
                           f"accepted: shorten it to the part you want answered")
    return question.strip()
