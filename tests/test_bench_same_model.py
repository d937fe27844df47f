"""bench/speed.py gives LangChain the model fuentes runs, so its rows with an embedding compare one model."""
import numpy as np

from bench.speed import langchain_embeddings
from index.embedding import load_embedder


def test_langchain_rows_embed_with_the_index_model():
    embedder = load_embedder()  # the default model (e5), as bench/speed.py loads it
    lc = langchain_embeddings(embedder)
    assert lc.model_name == embedder.source
    texts = ["El ministro León anunció ayudas por la sequía en Andalucía.", "Rubio met Rosa Paz in Kiev on Tuesday."]
    prompt = embedder.model.prompts.get(embedder.passage_prompt, "") if embedder.passage_prompt else ""
    theirs = np.array(lc.embed_documents([prompt + t for t in texts]))  # LangChain adds no prompt itself
    ours = embedder.embed(texts, role="passage")
    assert theirs.shape == ours.shape == (2, embedder.dimension)
    cosines = (theirs * ours).sum(1) / np.linalg.norm(theirs, axis=1) / np.linalg.norm(ours, axis=1)
    assert cosines.min() > 0.9999  # one model: torch in LangChain, fuentes' own path here
