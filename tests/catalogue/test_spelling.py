"""Near spellings: plain Python over a word list, the same on every database."""

from catalogue.listing.spelling import edits, near_spellings

WORDS = {"vanilla": 4, "coffee": 5, "cocoa": 2, "kafei": 5, "kafeishengdou": 4, "tahitensis": 1, "tapa": 3}


def test_edits_count_a_swap_of_neighbours_as_one_and_stop_past_the_limit():
    assert edits("cofee", "coffee", 1) == 1
    assert edits("kafie", "kafei", 1) == 1  # a swap
    assert edits("vanila", "vanilla", 2) == 1
    assert edits("taro", "tapa", 1) == 2  # over the limit: limit + 1
    assert edits("abc", "abcdef", 1) == 2


def test_a_misspelt_word_gets_the_words_it_is_near_the_closest_first():
    assert near_spellings("vanila", WORDS) == [("vanilla", "vanilla")]
    assert near_spellings("cofee", WORDS) == [("coffee", "coffee")]
    assert near_spellings("kafie", WORDS) == [("kafei", "kafei")]


def test_a_near_beginning_of_a_word_is_offered_as_that_word():
    assert near_spellings("tahitian", WORDS) == [("tahiten", "tahitensis")]


def test_a_word_the_catalogue_holds_or_a_short_one_gets_none():
    assert near_spellings("vanil", WORDS) == []  # begins vanilla
    assert near_spellings("tapo", WORDS) == [("tapa", "tapa")]
    assert near_spellings("tap", WORDS) == []  # too short to correct
    assert near_spellings("2024", WORDS) == []
    assert near_spellings("xqzvk", WORDS) == []
