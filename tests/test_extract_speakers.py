"""Speaker attribution: verbs, according to, pronouns after quotes, titles, anonymity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.extract.segment import segment
from claimcheck.extract.speakers import attribute, attribute_details, clean_name, is_name


def speakers(text: str) -> list[str | None]:
    return attribute(text, segment(text))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Prices rose 3 percent, Maria Lopez said.", "Maria Lopez"),
        ("Maria Lopez said prices rose 3 percent.", "Maria Lopez"),
        ("Maria Lopez told reporters that prices rose.", "Maria Lopez"),
        ("Prices rose, according to the Central Statistics Office.", "Central Statistics Office"),
        ("U.S. President Donald Trump said the talks went well.", "Donald Trump"),
        ("Vice President JD Vance stated that it was over.", "JD Vance"),
        ("German Chancellor Friedrich Merz added that more was needed.", "Friedrich Merz"),
        ("Gen. Alexander Syrskyi, the army chief, said attacks rose.", "Alexander Syrskyi"),
        ("Jane Roe, who chairs the panel, claimed costs had doubled.", "Jane Roe"),
        ("Gen. Ann Bolt, the army chief, said Russian forces had advanced.", "Ann Bolt"),
        ("Mr. Tom Hale, 40, said costs doubled at the depot.", "Tom Hale"),
        ("Prices will rise, said Anna Berg, an economist at Nordbank.", "Anna Berg"),
        ("“It is a small step,” said Sinan Ülgen, a former diplomat.", "Sinan Ülgen"),
        ("Prices rose 3 percent, a senior official said.", None),
        ("Analysts said the meeting was symbolic.", None),
        ("The economy grew 2 percent last year.", None),
        ("Deaths rose, according to Western estimates.", None),
        ("Exports fell, Statistics Norway figures show.", "Statistics Norway"),
        (
            "GDP grew 0.1%, the Office for National Statistics said.",
            "Office for National Statistics",
        ),
    ],
)
def test_single_sentence(sentence: str, expected: str | None) -> None:
    assert speakers(sentence) == [expected]


def test_he_said_resolves_to_last_named_speaker() -> None:
    text = (
        "Defence Minister Rustem Umerov told reporters the swap was agreed.\n\n"
        "“Pressure works. We need to keep it up,” he said."
    )
    assert speakers(text) == ["Rustem Umerov", "Rustem Umerov", "Rustem Umerov"]


def test_surname_expands_to_full_name() -> None:
    text = (
        "The talks were hosted by Foreign Minister Hakan Fidan.\n\n"
        "“There are two paths. One leads to peace,” Fidan said."
    )
    assert speakers(text)[1:] == ["Hakan Fidan", "Hakan Fidan"]


def test_quote_continuation_in_same_paragraph() -> None:
    text = "“The deal is done,” Ann Lee said. “Nothing is left to negotiate.”"
    assert speakers(text) == ["Ann Lee", "Ann Lee"]


def test_pronoun_without_antecedent_is_none() -> None:
    assert speakers("“We will win,” he said.") == [None]


def test_clean_name() -> None:
    assert clean_name("U.S. Secretary of State Marco Rubio") == "Marco Rubio"
    assert clean_name("the Turkish Foreign Ministry") == "Turkish Foreign Ministry"
    assert clean_name("a U.S. official") is None
    assert clean_name("regional officials") is None
    assert clean_name("") is None


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises(text: str) -> None:
    spans = segment(text)
    assert len(attribute(text, spans)) == len(spans)


def test_he_is_a_person_not_an_organisation() -> None:
    text = (
        "Inflation rose, according to the Office for National Statistics.\n\n"
        "Mr. John Smith, 54, has worked at the plant for 30 years. "
        "He said 1,200 workers could lose their jobs."
    )
    assert speakers(text) == ["Office for National Statistics", None, "John Smith"]


def test_quotation_continued_in_next_paragraph() -> None:
    text = (
        'Officials met on Monday.\n\n"We will fight," Anna Berg said. "We will win.\n\n'
        '"Nobody can stop us. Nobody."\n\nThe talks ended.'
    )
    assert speakers(text) == [None, "Anna Berg", "Anna Berg", "Anna Berg", "Anna Berg", None]


# --- issue 13: patterns seen on real news, in our own words -------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # never a function word, a date or a place phrase
        ("However, Senator Ann Moll said the budget was short by $3 billion.", "Ann Moll"),
        ("On Wednesday, the Treasury Department said the deficit grew.", "Treasury Department"),
        ("In Texas, officials said the dam had held.", None),
        ("While Clinton spoke in Ohio, Governor Ray Tolan said turnout was high.", "Ray Tolan"),
        ("Earlier Saturday, Mayor Lena Ortiz told reporters that 40 homes burned.", "Lena Ortiz"),
        ("Secretary of Homeland Security Jeh Johnson said the border was secure.", "Jeh Johnson"),
        # cue verbs beyond "said"
        ("Senator Dara Quill condemned the strike as reckless.", "Dara Quill"),
        ("Governor Pat Ruane vowed to veto the bill.", "Pat Ruane"),
        ("Mark Ellery admitted that the figures were wrong.", "Mark Ellery"),
        ("Jana Lutz accused the council of hiding the costs.", "Jana Lutz"),
        ("Ambassador Tim Oyelaran urged both sides to return to the table.", "Tim Oyelaran"),
        (
            "The Congressional Budget Office estimates that the plan would cost $2 trillion.",
            "Congressional Budget Office",
        ),
        ("The Harwell Institute report concluded that wages had stalled.", "Harwell Institute"),
        ("As the Harwell Institute report states: wages lag behind rents.", "Harwell Institute"),
        # after the quotation, with initials and an appositive
        (
            "“Nobody pays that rate,” said R. Alan Whitcombe, a tax scholar at the Urban Center.",
            "R. Alan Whitcombe",
        ),
        (
            "Walter Brisk, chairman of the Farm Bureau, once suggested that tariffs hurt growers.",
            "Walter Brisk",
        ),
        # anonymous sources
        ("A source said the talks had stalled.", None),
        ("Officials said 12 people were hurt.", None),
        ("The campaign's aides said the candidate was resting.", None),
    ],
)
def test_news_patterns(sentence: str, expected: str | None) -> None:
    assert speakers(sentence) == [expected]


CEASEFIRE = (
    "KYIV (Claimcheck Wire) — U.S. President Donald Trump said on Sunday that a ceasefire could "
    "begin within days, after a two-hour phone call with Russian President Vladimir Putin.\n\n"
    "The Russian leader claimed that his army had taken three villages in the east.\n\n"
    "“We are not going to give them a free pass. Did anyone think we would?” Vice President JD "
    "Vance told reporters on Monday before the call. “Are you serious about this? Because we are "
    "serious. We want the killing to stop.”\n\n"
    "Ukrainian President Volodymyr Zelensky said he had spoken with European leaders. “We are "
    "ready for a real truce, not a pause for rearming,” Zelensky stated on X. “I reaffirmed that "
    "Ukraine will not give up its land. Our partners understand this.”\n\n"
    "“Every day of delay costs lives,” the Ukrainian leader said, adding that he would send a "
    "delegation to Geneva. “The proposal is on the table,” he put forth.\n\n"
    "“We have done our part. Now it is Moscow's turn.”\n\n"
    "A senior European official said the talks had been difficult."
)


def _by_sentence(text: str) -> dict[str, str | None]:
    spans = segment(text)
    return {text[s:e]: who for (s, e), who in zip(spans, attribute(text, spans), strict=True)}


def test_descriptor_resolves_to_the_person_named_earlier() -> None:
    got = _by_sentence(CEASEFIRE)
    assert got[
        "The Russian leader claimed that his army had taken three villages in the east."
    ] == ("Vladimir Putin")


def test_quotation_running_on_after_its_attribution_keeps_the_speaker() -> None:
    got = _by_sentence(CEASEFIRE)
    assert got["“Are you serious about this?"] == "JD Vance"
    assert got["Because we are serious."] == "JD Vance"
    assert got["We want the killing to stop.”"] == "JD Vance"
    assert got["Did anyone think we would?”"] == "JD Vance"


def test_quotation_after_stated_on_x_keeps_the_speaker() -> None:
    got = _by_sentence(CEASEFIRE)
    assert got["“I reaffirmed that Ukraine will not give up its land."] == "Volodymyr Zelensky"
    assert got["Our partners understand this.”"] == "Volodymyr Zelensky"


def test_quoted_paragraph_continues_the_previous_speaker_not_a_mentioned_one() -> None:
    got = _by_sentence(CEASEFIRE)
    assert got["“The proposal is on the table,” he put forth."] == "Volodymyr Zelensky"
    assert got["“We have done our part."] == "Volodymyr Zelensky"
    assert got["Now it is Moscow's turn.”"] == "Volodymyr Zelensky"
    assert got["A senior European official said the talks had been difficult."] is None


def test_ambiguous_descriptor_and_pronoun_give_none() -> None:
    text = (
        "President Ana Ruiz met President Tomas Berg in Oslo.\n\n"
        "The president said the meeting went well.\n\n"
        "Ana Ruiz and Tomas Berg spoke again. He said nothing was agreed."
    )
    got = _by_sentence(text)
    assert got["The president said the meeting went well."] is None
    assert got["He said nothing was agreed."] is None


def test_a_returned_speaker_is_always_a_name() -> None:
    text = (
        "However, said the report. Wednesday said nothing. In Texas said it all. "
        "And said so. Earlier Saturday said more."
    )
    for who in attribute(text, segment(text)):
        assert who is None or is_name(who)
    assert not is_name("However")
    assert not is_name("Wednesday")
    assert not is_name("Democratic")
    assert is_name("Vladimir Putin")


def test_sentence_initial_and_is_not_part_of_the_name() -> None:
    assert speakers("And Senator Kim Arno said the vote would be close.") == ["Kim Arno"]


def test_unambiguous_descriptor_and_pronoun_resolve() -> None:
    text = (
        "President Ana Ruiz opened the summit in Oslo.\n\n"
        "The president said the talks would last two days. "
        "She added that 14 countries had sent delegations."
    )
    got = _by_sentence(text)
    assert got["The president said the talks would last two days."] == "Ana Ruiz"
    assert got["She added that 14 countries had sent delegations."] == "Ana Ruiz"


def test_department_resolves_to_the_one_named_earlier() -> None:
    text = (
        "The Labor Department published its monthly report on Friday.\n\n"
        "Wages rose 0.3 percent, according to the department."
    )
    assert speakers(text)[-1] == "Labor Department"


def test_transcript_paragraphs_belong_to_their_labelled_speaker() -> None:
    text = (
        "Host Nina Kovac interviewed Senator Abel Drum on Sunday.\n\n"
        '"KOVAC: Will you vote for the bill? It would cost $2 billion.\n\n'
        '"DRUM: I will not. The plan wastes money.\n\n'
        "UPDATE: The vote was delayed to Friday."
    )
    got = _by_sentence(text)
    assert got['"KOVAC: Will you vote for the bill?'] == "Nina Kovac"
    assert got["It would cost $2 billion."] == "Nina Kovac"
    assert got["The plan wastes money."] == "Abel Drum"
    # a capitalised label that names nobody in the article is not a speaker
    assert got["UPDATE: The vote was delayed to Friday."] is None


def test_ambiguous_pronoun_gives_way_to_the_named_source_of_the_sentence() -> None:
    text = (
        "Mayor Ruth Okafor and Governor Dan Pell toured the burnt valley on Tuesday.\n\n"
        "“It was worse than anyone feared,” he said, Oscar Lindqvist, the county fire chief, "
        "told reporters."
    )
    # "he" could be the mayor or the governor: neither is guessed, the named chief is taken
    assert speakers(text) == [None, "Oscar Lindqvist"]


def test_two_people_joined_by_and_make_a_later_he_ambiguous() -> None:
    text = "Governor Dan Pell and Senator Ivo Marsh visited the dam.\n\nHe said it would hold."
    assert speakers(text) == [None, None]


def test_a_second_trusted_source_lowers_the_confidence() -> None:
    two = "When Maria Lopez noted that rents had doubled, Tom Hale argued that wages had too."
    one = "Tom Hale argued that wages had doubled."
    (a,) = attribute_details(two, segment(two))
    (b,) = attribute_details(one, segment(one))
    assert b.speaker == "Tom Hale"
    assert a.probability < 0.5 < b.probability


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a title word after an honorific is a surname, a form of address is not
        ("Mr. King said the show had never been edited.", "Mr. King"),
        ("“Thank you, Mr. President,” the host said.", None),
        # a possessive before an organisation head: the campaign is the source
        ("Donald Trump’s campaign said the rally would go ahead.", "Donald Trump's campaign"),
        # two people speaking together
        ("Mr. Ortega and Ms. Lind said the bill needed changes.", "Ortega and Lind"),
        ("Talks between Ortega and Lind lasted two hours.", None),
        # a party-and-state parenthesis between the name and its verb
        ("Sen. Ann Moll (D-Ore.) told reporters the bill was dead.", "Ann Moll"),
    ],
)
def test_names_from_real_news_forms(text: str, expected: str | None) -> None:
    assert speakers(text) == [expected]


def test_add_stores_a_speaker_only_at_the_store_threshold() -> None:
    from claimcheck.extract.speakers import SpeakerModel, load_speaker_model, storable_speaker

    shipped = load_speaker_model()
    # the shipped model stores from 0.98 (the lowest confidence 0.98 precise on PolNeAR dev,
    # confirmed on the held-out tenth), and only speakers named in their own sentence
    assert shipped.store_threshold == 0.98
    assert storable_speaker("Ann Lee", "named", 0.99, shipped) == ("Ann Lee", None)
    who, note = storable_speaker("Ann Lee", "named", 0.97, shipped)
    assert who is None and note is not None and "Ann Lee" in note and "0.98" in note
    who, note = storable_speaker("Ann Lee", "pronoun", 0.999, shipped)
    assert who is None and note is not None and "named in the statement's own sentence" in note
    # a model without a store threshold holds every suggestion back, naming its precision
    never = SpeakerModel(
        {
            "format": "claimcheck-speakers/1",
            "bias": 0.0,
            "weights": {},
            "threshold": 0.3,
            "cues": [],
            "meta": {"name_precision": 0.9},
        }
    )
    who, note = storable_speaker("Ann Lee", "named", 0.999, never)
    assert who is None and note is not None and "0.90" in note
    payload = {
        "format": "claimcheck-speakers/1",
        "bias": 0.0,
        "weights": {},
        "threshold": 0.3,
        "cues": [],
        "store_threshold": 0.95,
        "meta": {"name_precision": 0.99},
    }
    model = SpeakerModel(payload)
    assert storable_speaker("Ann Lee", "named", 0.96, model) == ("Ann Lee", None)
    assert storable_speaker("Ann Lee", "named", 0.94, model)[0] is None
    # only a speaker named in its own sentence is stored unconfirmed
    assert storable_speaker("Ann Lee", "descriptor", 0.99, model)[0] is None
    assert storable_speaker(None, None, None, model) == (None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a title word that is also a surname, after a given name, is the surname
        ("“We are not done yet,” said Rosa King, a union organiser.", "Rosa King"),
        ("Rep. Walter King told the committee the bill was dead.", "Walter King"),
        ("“It is fine,” said Ben Judge.", "Ben Judge"),
        # ... but alone, or after a nationality, it stays a title
        ("“It is fine,” the King said.", None),
    ],
)
def test_surname_that_is_also_a_title(text: str, expected: str | None) -> None:
    assert speakers(text) == [expected]


def test_vox_pop_quotations_are_signed_by_the_name_after_the_dash() -> None:
    text = (
        "We asked readers what they made of the debate.\n\n"
        "“He never answers a question straight. He talks past it.” ― Marta Ollin\n"
        "“I have heard enough from both of them. It is the same every time.” ― Jonas Prell\n"
        "“Nobody listens to us. Not one of them.” ― Ida Veen"
    )
    got = _by_sentence(text)
    assert got["We asked readers what they made of the debate."] is None
    assert got["“He never answers a question straight."] == "Marta Ollin"
    # a sentence the segmenter runs across two signed quotations goes to the larger part
    assert got["He talks past it.” ― Marta Ollin\n“I have heard enough from both of them."] == (
        "Jonas Prell"
    )
    assert got["Not one of them.” ― Ida Veen"] == "Ida Veen"


def test_a_dash_before_a_clause_signs_nothing() -> None:
    text = "“It is over” ― the words spread fast across the hall."
    assert speakers(text) == [None]


def test_repeated_transcript_labels_are_speakers_without_another_mention() -> None:
    text = (
        "Here is part of the Sunday interview.\n\n"
        '"HOLLIS: Will the bill pass this week?\n\n'
        '"MORROW: It will pass. We have the votes.\n\n'
        '"HOLLIS: And if it does not?\n\n'
        '"MORROW: Then we try again.\n\n'
        "NOTE: The interview was edited for length.\n\n"
        "NOTE: A correction was appended."
    )
    got = _by_sentence(text)
    assert got['"HOLLIS: Will the bill pass this week?'] == "Hollis"
    assert got["We have the votes."] == "Morrow"
    assert got["NOTE: A correction was appended."] is None
    # a label used once and named nowhere else in the article is still nobody
    once = 'Part of the call follows.\n\n"ROSSI: We are ready.'
    assert _by_sentence(once)['"ROSSI: We are ready.'] is None


def test_document_counts_what_an_article_repeats() -> None:
    from claimcheck.extract.speakers import document_counts, document_leaders, document_speakers

    text = (
        "Anna Berg said the plan failed. “It is over,” said Anna Berg. Berg, a lawyer in "
        "Oslo, told reporters. According to Tom Hale, it rains. Berg left. The Berg file."
    )
    counts = document_counts(text)
    assert counts["berg"] == 5 and counts["hale"] == 1 and "the" not in counts
    assert "berg" in document_leaders(counts)
    assert document_speakers(text) == {"berg": 3, "hale": 1}


@pytest.mark.parametrize(
    "text",
    [
        # a title-case headline opening with a participle and a capitalised preposition
        "Railing Against The Levy, Farmers Block The Road.",
        # a period introduced by a time preposition is not a speaker
        "After the Gulf War, the alliance grew quickly.",
        "During the Great Depression, banks failed by the thousand.",
    ],
)
def test_headline_participles_and_periods_are_not_speakers(text: str) -> None:
    assert speakers(text) == [None]


def test_broad_cues_of_news_are_learnt_not_listed() -> None:
    # PolNeAR's annotators attribute positions and plans, not only speech: the ranker learns
    # such cues from the words after the subject
    assert speakers("Governor Tom Hale continues to oppose the new rail line.") == ["Tom Hale"]
    assert speakers("Tom Hale accused the mayor of hiding the cost.") == ["Tom Hale"]
    assert speakers("Senator Ilse Marten plans to introduce a bill to cap rents.") == [
        "Ilse Marten"
    ]


def _verb_after(sentence: str, name: str) -> str:
    from claimcheck.extract.speakers.mentions import _next_word, _tokens, sentence_mentions

    toks = _tokens(sentence, 0, len(sentence), [])
    mention = next(m for m in sentence_mentions(toks) if m.text == name)
    return _next_word(toks, mention.j)[0]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        # an age, a chained age and description, a relative clause, a description after a
        # relative clause, a parenthesis before a relative clause
        ("Inga Solberg, 61, said the dam would hold.", "Inga Solberg"),
        ("Inga Solberg, 61, an engineer from Bergen, said the dam would hold.", "Inga Solberg"),
        ("Inga Solberg, who built the dam in 1990, said it would hold.", "Inga Solberg"),
        ("Inga Solberg, an engineer, who built the dam, said it would hold.", "Inga Solberg"),
        ("Rep. Carl Vane (R-Ohio), who sits on the panel, said it would hold.", "Rep. Carl Vane"),
        # the name is itself the appositive of a description before it
        ("One of the town's engineers, Inga Solberg, said the dam would hold.", "Inga Solberg"),
    ],
)
def test_verb_is_found_past_ages_appositives_and_relative_clauses(sentence: str, name: str) -> None:
    assert _verb_after(sentence, name) == "said"


def test_a_list_of_names_is_not_an_appositive() -> None:
    # "Holm" is the next item of a list, not a description: the verb of "Berg" is not reached
    assert _verb_after("Berg, Holm, and Lund said it.", "Berg") == "and"


def test_learnt_cue_lexicon_features() -> None:
    from claimcheck.extract.speakers import load_speaker_model, mention_features
    from claimcheck.extract.speakers.mentions import _tokens, sentence_mentions

    model = load_speaker_model()
    # the shipped lexicon holds stems learnt from the annotated cue spans: speech verbs are
    # strong, function words absent or weak
    assert model.cue_strength["said"] > 0.8 and model.cue_strength["argu"] > 0.5
    assert model.cue_strength.get("the", 0.0) < 0.05
    text = "Tom Hale told the board that Ann Lee wants a new vote."
    toks = _tokens(text, 0, len(text), [])
    mentions = sentence_mentions(toks)
    names = [m.text for m in mentions]
    strength = {"told": 0.9, "want": 0.35}

    def feats(name: str) -> list[str]:
        return mention_features(toks, mentions, names.index(name), model.cues, strength=strength)

    hale, lee = feats("Tom Hale"), feats("Ann Lee")
    assert "lex_nearest|name" in hale and "lex_nv=5" in hale  # "told" is his verb
    assert "lex_nearest|name" in lee and "lex_after|name=3" in lee  # "wants" is hers
    board = feats("the board") if "the board" in names else []
    assert all("lex_nearest" not in f for f in board)
    # without a lexicon (older models) no such feature is produced
    plain = mention_features(toks, mentions, 0, model.cues)
    assert not any(f.startswith("lex_") for f in plain)


def test_other_mention_nearer_the_strong_cue() -> None:
    from claimcheck.extract.speakers import mention_features
    from claimcheck.extract.speakers.mentions import _tokens, sentence_mentions

    text = "After Tom Hale left, Ann Lee announced the result."
    toks = _tokens(text, 0, len(text), [])
    mentions = sentence_mentions(toks)
    first = next(k for k, m in enumerate(mentions) if m.text == "Tom Hale")
    got = mention_features(toks, mentions, first, frozenset(), strength={"announc": 0.8})
    assert "lex_other_nearer|name" in got


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        # a title-case headline names a speaker only before its cue verb or a colon
        ("Mayor Ann Lee Calls The Rail Plan A Costly Mistake.", "Ann Lee"),
        ("Storm Leaves The Whole City Dark For Days.", None),
    ],
)
def test_title_case_headlines(headline: str, expected: str | None) -> None:
    body = (
        "\n\nThe storm hit the city on a cold night and left it dark for days, and the mayor "
        "said the rail plan was a costly mistake that the whole city would regret."
    )
    assert speakers(headline + body)[0] == expected


def test_title_case_is_not_a_run_of_names() -> None:
    from claimcheck.extract.speakers.mentions import _tokens, title_case

    lower = frozenset({"plan", "city", "costly", "mistake", "calls"})
    names = "Donald Trump and Hillary Clinton met Angela Merkel."
    head = "Mayor Calls City Plan A Costly Mistake."
    assert not title_case(_tokens(names, 0, len(names), []), lower)
    assert title_case(_tokens(head, 0, len(head), []), lower)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # an attribution closing the sentence after a comma is the source of all of it
        ("Nora Fisk had warned the board that the cuts would hurt, the aide added.", None),
        (
            "Mr. Tom Hale, 40, said costs doubled, according to the Statistics Office.",
            "Statistics Office",
        ),
        (
            "The Daily Ledger reports that rents fell, according to the Housing Bureau.",
            "Housing Bureau",
        ),
        ("Omar Vail mocked rivals at every stop, according to former staff members.", None),
        ("Debates rarely move the polls, noted the Ledger’s Ida Strand.", "Ida Strand"),
        ("Rents fell in May, according to the independent Housing Bureau.", "Housing Bureau"),
        # not a closing attribution: the verb after the name has an object clause, or the name
        # is whom something was said to, or what it was said of
        ("Gen. Ann Bolt, the army chief, said Russian forces had advanced.", "Ann Bolt"),
        ("“We will win,” Lea Marsh, a party organiser, told the Evening Courier.", "Lea Marsh"),
        ("“It is a scandal,” Ivo Brandt, a senator, said of the Harbour Authority.", "Ivo Brandt"),
    ],
)
def test_closing_attribution_is_the_source_of_the_sentence(
    sentence: str, expected: str | None
) -> None:
    assert speakers(sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "It was plain that Ms. Tell had lost patience, and she said the board must go.",
        "For Ms. Tell, the vote was a chance to return to what she sees as the city's real problems.",
    ],
)
def test_he_or_she_is_the_one_person_named_before_it_in_the_same_sentence(sentence: str) -> None:
    # two people in the sentence before, but only one in this sentence before the pronoun
    text = "Rosa Tell met Karl Dunn at the depot on Monday.\n\n" + sentence
    assert speakers(text)[1] == "Rosa Tell"


def test_a_sentence_across_signed_quotations_goes_to_the_one_covering_most_of_it() -> None:
    text = (
        "Readers wrote in after the vote.\n\n"
        "“Too late.” ― Ola Brun “It took them far too long to admit the scheme was failing "
        "and everyone in town knew it.” ― Tor Lind “Fine by me.” ― Siv Moe"
    )
    got = _by_sentence(text)
    (sentence,) = [k for k in got if "Too late" in k]
    assert got[sentence] == "Tor Lind"
    # three signers in one sentence: the chosen one is not certain
    details = attribute_details(text, segment(text))
    assert details[1].speaker == "Tor Lind" and 0.5 < details[1].probability < 0.9


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a group, or one of its members, that a name identifies is named by that description
        ("Lindqvist aides were cautious about the timing of the vote.", "Lindqvist aides"),
        # an official or a source stays anonymous even when the employer is named
        ("A Harbour Authority official said the cranes would stay idle.", None),
        ("Port sources say the cranes will stay idle.", None),
        ("An official at the Harbour Authority said the cranes would stay idle.", None),
        ("Nordbank’s advisers say the merger will close in May.", "Nordbank’s advisers"),
        # ... or the name it works for follows it
        ("A spokesman for Ola Brandt said the depot would reopen.", "spokesman for Ola Brandt"),
        ("But advisers to Mayor Ida Roos say the bill will pass.", "advisers to Ida Roos"),
        # no name in the description, or a common word opening the sentence, or a nationality
        ("A senior official said the cranes would stay idle.", None),
        ("Democratic leaders say the bill will pass.", None),
        ("The port's security was tight.\n\nSecurity officials said the port would reopen.", None),
    ],
)
def test_a_group_that_a_name_identifies(sentence: str, expected: str | None) -> None:
    assert speakers(sentence)[-1] == expected
    if expected is not None:
        (detail,) = attribute_details(sentence, segment(sentence))
        assert detail.basis == "group"


def test_a_group_is_no_antecedent_for_he_or_she() -> None:
    text = "Lindqvist aides said the plan was ready. He said it was not."
    assert speakers(text) == ["Lindqvist aides", None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a possessive name is the source before a noun that is a strong learnt cue ...
        (
            "Ola Brandt runs the depot. Brandt’s claim that the depot is safe was disputed.",
            "Ola Brandt",
        ),
        # ... and names a group before the people it stands for
        (
            "Ola Brandt runs the depot. Brandt’s lawyer has said he will appeal.",
            "Ola Brandt’s lawyer",
        ),
        (
            "Vestland’s tax commissioner told reporters that the levy will rise.",
            "Vestland’s tax commissioner",
        ),
        # not before an ordinary noun
        ("Ola Brandt runs the depot. Brandt’s depot will close in May.", None),
    ],
)
def test_a_possessive_name_before_a_cue_noun_or_a_spokesperson(
    text: str, expected: str | None
) -> None:
    assert speakers(text)[-1] == expected


def test_a_definite_organisation_opening_the_sentence_is_a_name() -> None:
    # "post" is also a common word of the article, but "The Post" is a newspaper
    text = "The Post reported that the post office on Elm Street would close."
    assert speakers(text) == ["Post"]


def test_a_wire_dateline_is_no_speaker() -> None:
    text = (
        "BERGEN - The harbour flooded on Monday. Rain in Bergen has not stopped since, and "
        "Bergen said to be wettest city.\n\n"
        "BERGEN - The wife of a fisherman said the storm was the worst in years."
    )
    assert speakers(text)[-1] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "according to" reaches the name past a determiner and a few lower-case modifiers
        (
            "The richest tenth would gain most, according to the left-leaning Harbour Policy "
            "Forum, while renters would lose.",
            "Harbour Policy Forum",
        ),
        (
            "According to veteran radio host Ingrid Solberg, the ferry will not run this winter.",
            "Ingrid Solberg",
        ),
        # not past a comma, a capital or more than three words
        ("According to the many small and scattered village councils, nothing changed.", None),
    ],
)
def test_according_to_reaches_past_modifiers(text: str, expected: str | None) -> None:
    assert speakers(text)[-1] == expected


def test_a_quotation_signed_with_a_lower_case_said_is_prose_not_a_headline() -> None:
    # nearly every long word outside the quotation is capitalised (a name and an institute),
    # but a lower-case "said" is prose: the name after it is the source
    # (the article also writes "coastal" and "research" in lower case)
    text = (
        "Much coastal research is slow work, and funding for such research fell.\n\n"
        "“We waited too long for this,” said Henrik Aasen Molvik, the director of the "
        "Bergen Coastal Research Institute in Norway."
    )
    assert speakers(text)[-1] == "Henrik Aasen Molvik"


def test_an_imperative_say_opening_the_sentence_is_no_part_of_a_name() -> None:
    text = (
        "Norway has other levers, Ms. Lund argues. Say Norway refused the tanker licences; "
        "the port would lose most of its trade."
    )
    assert "Say Norway" not in speakers(text)


def test_the_name_opening_a_title_case_headline_before_its_cue_is_the_source() -> None:
    # the article writes "harbour" and "fees" in lower case: the opening line is a headline
    text = (
        "Ola Brandt Speaks Out On Harbour Fees.\n\n"
        "The harbour fees rose again, and the fees are now the highest on the coast."
    )
    assert speakers(text)[0] == "Ola Brandt"
    # a capitalised word that is no cue does not end the name: no source
    text = text.replace("Speaks Out", "Breaks With Council")
    assert speakers(text)[0] is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # an anonymous description whose appositive between commas is a name is that name
        (
            "Another critic, Mona Strand, compared the toll road to a tax on the poor.",
            "Mona Strand",
        ),
        # and so is a description of an office right before names
        (
            "Mayoral candidates Ann Lee and Tom Hale cited the figure at the debate.",
            "Ann Lee and Tom Hale",
        ),
        # an ad, a video, a letter or a document by a named body speaks for it
        ("An ad by the Harbour Party features a report on the fees.", "Harbour Party"),
        # mixed marks ("…”): the words after the closing mark are outside the quotation
        (
            '"The harbour has a long memory, and the ferries keep coming,” said Tove Lund, a '
            "historian at the maritime museum.",
            "Tove Lund",
        ),
    ],
)
def test_names_behind_descriptions_and_mixed_quotation_marks(sentence: str, expected: str) -> None:
    assert speakers(sentence) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a possessive name opening the sentence before a learnt cue noun is its source
        (
            "Dana Whitfield chairs the transit board. "
            "Ms. Whitfield's proposal would double the bus fleet by 2030.",
            "Dana Whitfield",
        ),
        (
            "Dana Whitfield chairs the transit board. "
            "Under Ms. Whitfield's plan, fares would fall by a third.",
            "Dana Whitfield",
        ),
        # the clause after "X's claim that" is X's, whoever reports it
        (
            "The Ledger pounced on Omar Haddad's claim that the depot had closed twice.",
            "Omar Haddad",
        ),
        (
            "Dana Whitfield chairs the transit board. "
            "By Ms. Whitfield's own admission, the new buses arrived late.",
            "Dana Whitfield",
        ),
        # a possessive that is no cue noun stays no source
        ("Omar Haddad's garden flooded in the spring storm.", None),
    ],
)
def test_a_possessive_name_before_a_cue_noun_is_the_source(text: str, expected: str | None) -> None:
    assert speakers(text)[-1] == expected


def test_a_possessive_after_an_honorific_is_no_name_of_its_own() -> None:
    # "Mrs. Lee's" used to be returned as the speaker "Lee's"
    assert clean_name("Mrs. Whitfield's") is None
    assert clean_name("The Ledger’s") is None
    assert clean_name("Mr. King") == "Mr. King"
    text = (
        "Dana Whitfield runs the port authority. "
        "Ms. Whitfield's statement that the cranes were idle drew a rebuke."
    )
    assert speakers(text)[-1] == "Dana Whitfield"


def test_he_may_be_the_possessive_name_of_his_own_sentence() -> None:
    text = (
        "Mayor Rita Vance opened the session. "
        "Tom Hale’s zoning plan won him a hearing, where he said the rules were outdated."
    )
    assert speakers(text)[-1] == "Tom Hale"


def test_a_quotation_closing_its_line_does_not_take_the_next_lines_speaker() -> None:
    # single line breaks separate these paragraphs: the quotation continues Ann Lee's, and the
    # next paragraph's actor is no attribution of it
    text = (
        "“The budget is late,” said Ann Lee, the council treasurer. “We cannot pay the "
        "contractors. They have waited since March.”\n"
        "Tom Hale said on Monday that the vote had been rushed."
    )
    assert speakers(text)[1:3] == ["Ann Lee", "Ann Lee"]


def test_an_honorific_surname_shared_by_two_named_people_is_not_guessed() -> None:
    text = (
        "Ann Varga and her husband, Tom Varga, run the bakery. "
        "Mrs. Varga said the flour price had doubled."
    )
    assert speakers(text)[-1] == "Mrs. Varga"
    # one person of that name: the full name
    assert speakers("Ann Varga runs the bakery. Mrs. Varga said flour doubled.")[-1] == "Ann Varga"


@pytest.mark.parametrize(
    "text",
    [
        "“The ferry timetable is a mess,” said retired harbour pilot Inga Solberg.",
        "Fares rose “faster than wages all year,” reported the Fjord Herald.",
    ],
)
def test_a_name_after_said_past_lower_case_modifiers_after_a_quotation(text: str) -> None:
    assert speakers(text)[-1] in ("Inga Solberg", "Fjord Herald")


def test_a_quotation_paragraph_continues_the_source_named_at_the_end_of_the_last() -> None:
    text = (
        "The ferry company hired a new captain in May.\n\n"
        "Her old commander, Inga Solberg, called her the steadiest hand on the coast.\n\n"
        "“She never once missed a crossing in a storm.”\n\n"
        "The company expects the new route to open in June."
    )
    assert speakers(text)[2] == "Inga Solberg"


def test_a_name_after_a_speech_verb_with_its_own_subject_is_what_was_said() -> None:
    # Ann Lee is inside what "it said", not the one saying it; the statement names nobody
    text = (
        "The union's statement praised the effect it said Ann Lee, the first nurse on the "
        "board, would have on hospital wages."
    )
    assert speakers(text) == [None]


def test_a_headline_name_on_a_topic_before_a_colon_is_the_source() -> None:
    text = (
        "Rita Vance on Harbour Fees: Costs Must Fall.\n\n"
        "The harbour fees rose again this year, and costs must fall before the winter."
    )
    assert speakers(text)[0] == "Rita Vance"


def test_a_bare_surname_is_the_person_of_that_name_the_article_named_most() -> None:
    text = (
        "Ted Vale opened the hearing. Ted Vale praised the bill. "
        "His wife, Ana Vale, sat in the front row. "
        "Vale said the vote would pass."
    )
    assert speakers(text)[-1] == "Ted Vale"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Harbour Radio host Inga Solberg asked the mayor about the ferry fares.", "Inga Solberg"),
        ("The Danish journalist Mads Holm warned that the bridge would be late.", "Mads Holm"),
    ],
)
def test_a_role_between_an_employer_and_a_name_names_the_person(
    sentence: str, expected: str
) -> None:
    assert speakers(sentence) == [expected]
