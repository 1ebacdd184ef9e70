"""Speaker attribution: who made each claim, or ``None`` when the text does not say.

Design
------
Attribution works over a whole document, because news copy spreads it out: a quotation may span
several sentences with ``he said`` only in one of them, ``he`` means a person named earlier, and
``the Russian leader`` means the Vladimir Putin of the second paragraph. :func:`attribute` takes
the text and the sentence spans and returns one speaker (or ``None``) per sentence:

1. **Mentions.** Each sentence is tokenised and, outside quotation marks, its *mentions* are
   collected: runs of capitalised words with the titles and connectors inside them (``Trump
   campaign spokesman Jason Miller``, ``the Office for National Statistics``), descriptors (``the
   president``, ``the Russian leader``), pronouns (``he``, ``she``) and anonymous sources (``a
   source``, ``officials``, ``the campaign's aides``). Sentence-initial function words, dates and
   places introduced by a preposition are not mentions (``However``, ``Wednesday``, ``In Texas``).
2. **Which mention is the source.** A small logistic-regression ranker scores every mention with
   features of its context: the word that follows it (skipping adverbs, auxiliaries and an
   appositive: ``X, chairman of Y, once suggested``), the words before it (``said X``, ``according
   to X``, ``As X states:``), the words after it as a bag (so the broad cues of news, ``X plans``,
   ``X continues to oppose``, are learnt from data), the cue lexicon learnt from PolNeAR's
   annotated cue spans (how strong a cue the word after it is, and whether another mention
   stands nearer that cue), its position, its shape, the quotation
   marks around it, and the article: how often the name recurs in it and how often next to a
   speech verb (an article's known sources are likely sources again). It was
   trained on the PolNeAR attribution corpus (Newell, Margolin and Ruths, LREC 2018; see
   ``scripts/train_speakers.py``) and ships as ``data/speakers.json.gz`` (about 160 KiB of weights,
   read with the standard library). The best mention wins when its probability reaches the
   shipped threshold; otherwise the sentence has no attribution of its own. When the winner
   names nobody (``he`` with two people in view), the next mention that also reaches the
   threshold is tried (``X, the fire chief, said he …``); an anonymous source ends the search.
3. **Names.** The winning mention is reduced to a name: titles stripped (``U.S. President Donald
   Trump`` → ``Donald Trump``), organisations kept whole (``Turkish Foreign Ministry``), a bare
   surname expanded to the full name used in the document (``Fidan`` → ``Hakan Fidan``). A pronoun
   becomes the last person named; a descriptor the one person the document gave that title
   (``Russian President Vladimir Putin`` → ``the Russian leader``), and nobody when two people
   fit. In a title-case headline a name is a source only before a cue verb or a colon
   (``Ann Lee Calls …``, ``Ann Lee: …``). Anonymous sources give ``None``: no guessing; but a
   group, or one of its members, that a name identifies is named by its description (``Clinton
   aides``, ``a State Department official`` → ``State Department official``; basis ``group``,
   never stored unconfirmed). An attribution closing the sentence after a comma (``…, the aide
   added.``, ``…, according to the independent X.``) is the source of all of it. Whatever is
   returned is a name: it has a capitalised word that is not a function word, a date or a title.
4. **Quotations.** A quotation takes the speaker of the attribution next to it — in the sentence
   where it ends (``"…," said X``), in the clause right after it (``"…?" X told reporters on
   Monday. "…"``) or in the sentence that opens it (``X said: "…``) — and every sentence inside it
   gets that speaker. Later quotations of the same paragraph without an attribution of their own
   continue that speaker, and so does a paragraph that is only a quotation, after a paragraph
   whose quotation was attributed.
5. **Transcripts and vox pops.** A paragraph that opens with a name in capitals and a colon
   (``KOVAC: …``) belongs to that person when the article names them elsewhere or opens two
   paragraphs or more with that label (``UPDATE:`` names nobody); a quotation signed after a
   dash (``"…" ― Ana Ruiz``) is that person's.

Modules
-------
``lexicon`` and ``heads`` hold the cue word lists, ``mentions`` tokenises a sentence and finds and
featurises its mentions, ``model`` loads the ranker, ``names`` reduces a mention to a name and
keeps the document's registry of people, ``attribution`` puts them together (:func:`attribute`).
"""

from __future__ import annotations

from claimcheck.extract.speakers.attribution import (
    BASIS_LABELS,
    STORE_PRECISION,
    Attribution,
    attribute,
    attribute_details,
    storable_speaker,
)
from claimcheck.extract.speakers.mentions import (
    Mention,
    document_counts,
    document_leaders,
    document_speakers,
    headline_split,
    mention_features,
    sentence_mentions,
)
from claimcheck.extract.speakers.mentions import (
    _tokens as _tokens,
)
from claimcheck.extract.speakers.mentions import (
    quote_spans as quote_spans,
)
from claimcheck.extract.speakers.mentions import (
    stem as stem,
)
from claimcheck.extract.speakers.model import SpeakerModel, load_speaker_model
from claimcheck.extract.speakers.names import clean_name, is_name

__all__ = [
    "BASIS_LABELS",
    "STORE_PRECISION",
    "Attribution",
    "Mention",
    "SpeakerModel",
    "attribute",
    "attribute_details",
    "clean_name",
    "document_counts",
    "document_leaders",
    "document_speakers",
    "headline_split",
    "is_name",
    "load_speaker_model",
    "mention_features",
    "sentence_mentions",
    "storable_speaker",
]
