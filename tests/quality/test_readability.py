"""Readability scores: sentences, words, syllables and the formulas.

Expected syllable counts are those of a dictionary's word division (Merriam-
Webster for English, Van Dale's afbreking for Dutch); words whose count
dictionaries or speakers disagree on (every, tired, hours, shower) are left
out. Expected formula values are computed here by hand from counted words.
"""

from __future__ import annotations

import json

import pytest

from leafpress.quality.readability import (
    Scores,
    Sentence,
    count_syllables,
    measure,
    measure_sentence,
    split_sentences,
    split_words,
)

ENGLISH = """
injection 3 medicine 3 anaesthetic 4 area 3 people 2 little 2 available 4 doctor 2
hospital 3 nurse 1 appointment 3 pharmacy 3 tablet 2 pain 1 swelling 2 bleeding 2
wound 1 dressing 2 infection 3 fever 2 headache 2 stomach 2 breathing 2 surgery 3
operation 4 treatment 2 procedure 3 allergy 3 allergic 3 reaction 3 side 1 effects 2
dose 1 daily 2 morning 2 water 2 drink 1 food 1 sleep 1 pregnant 2 pregnancy 3
breastfeeding 3 children 2 baby 2 needle 2 vaccine 2 vaccination 4 blood 1
pressure 2 heart 1 kidney 2 liver 2 patient 2 emergency 4 telephone 3 number 2
contact 2 advice 2 questions 2 information 4 minutes 2 tomorrow 3 important 3
symptoms 2 paracetamol 5 ibuprofen 4 antibiotics 5 insulin 3 tissue 2 bruising 2
itching 2 rash 1 vomiting 3 dizziness 3 careful 2 carefully 3 remove 2 removed 2
changed 1 stopped 1 needed 2 started 2 places 2 uses 2 takes 1 before 2 after 2
immediately 5 sometimes 2 someone 2 anyone 3 whole 1 eyes 1 video 3 diet 2
experience 4 serious 3 ointment 2 cream 1 continue 3 juice 1 because 2 idea 3
single 2 centre 2 litre 2 quiet 2 anxiety 4 plaster 2 bandage 2 injury 3 sugar 2
medication 4 prescription 3 throat 1 cough 1 pharmacist 3 specialist 3
diagnosis 4 result 2 sample 2 urine 2 alcohol 3 driving 2 exercise 3 weight 1
wear 1 loose 1 clothing 2 gently 2 avoid 2 heavy 2 lifting 2 stitches 2 dissolve 2
removal 3 clinic 2 discharge 2 relative 3 consent 2 signed 1 benefit 3
alternative 4 decision 3 understand 3 explained 2 language 2 interpreter 4
leaflet 2 address 2 arrive 2 early 2 cancel 2 rearrange 3 delay 2 ultrasound 3
biopsy 3 sedation 3 drowsy 2 awake 2 overnight 3 accompany 4 anaesthetist 4
numbness 2 sensation 3 shivering 3 severe 2 moderate 3 rare 1 likely 2 unlikely 3
possible 3 complications 4 damage 2 nerve 1 bladder 2 catheter 3 insurance 3
prescribed 2 capsules 2 liquid 2 syringe 2 measure 2 inhaler 3 apply 2 twice 1
"""

DUTCH = """
injectie 3 prik 1 verpleegkundige 5 bijwerkingen 4 huisartsenpost 4 ziekenhuis 3
pijnstiller 3 spier 1 behandeling 4 ontsteking 3 ademhaling 4 koorts 1
geneesmiddel 4 eeuw 1 zeeën 2 beïnvloeden 4 rusten 2 arm 1 uur 1 eten 2 drinken 2
bloeding 2 medicijn 3 medicijnen 4 afspraak 2 apotheek 3 operatie 4 verdoving 3
misselijk 3 tabletten 3 zwanger 2 ziekte 2 dokter 2 huisarts 2 wond 1 pleister 2
paracetamol 5 hoofdpijn 2 zwelling 2 pijn 1 bellen 2 vragen 2 ouders 2 kinderen 3
dagen 2 maanden 2 alleen 2 belangrijk 3 thuis 1 nuchter 2 onderzoek 3 uitslag 2
bloed 1 urine 3 vaccinatie 4 griep 1 allergie 3 verband 2 vrouw 1 nieuw 1 knieën 2
idee 2 ideeën 3 geïnfecteerd 4 mooie 2 draaien 2 nieuwe 2 januari 4 ideaal 3
hygiëne 4 koffie 2 thee 1 water 2 slapen 2 liggen 2 douchen 2 huid 1 buik 1
hoofd 1 benen 2 voet 1 ogen 2 longen 2 nieren 2 lever 2 maag 1 darm 1 infectie 3
bloeddruk 2 temperatuur 4 telefoonnummer 5 spoedeisende 4 eerste 2 hulp 1
ochtend 2 middag 2 ongeveer 3 minuten 3 uren 2 dieet 2 vitamine 4 museum 3
bloeien 2 ruïne 3 verdovingsvloeistof 5 zwangerschap 3 borstvoeding 3
ontlasting 3 jeuk 1 duizelig 3 vermoeid 2 wachtkamer 3 dragen 2 loszittende 4
kleding 2 voorzichtig 3 zwaar 1 tillen 2 terug 2 normaal 2 hechtingen 3
verwijderen 4 polikliniek 4 afdeling 3 ontslag 2 gegevens 3 toestemming 3
formulier 3 risico 3 keuze 2 beslissen 3 tolk 1 website 2 parkeren 3 afzeggen 3
echo 2 biopt 2 roesje 2 slaperig 3 wakker 2 familie 3 gevoelloos 3 tintelingen 4
rillingen 3 roodheid 2 geur 1 ernstig 2 zelden 2 waarschijnlijk 3 mogelijk 3
probleem 2 complicatie 4 schade 2 zenuw 2 katheter 3 verzekering 4 apotheker 4
voorgeschreven 4 vloeibaar 2 lepel 2 spuitje 2 inhalator 4 aanbrengen 3
"""


def word_list(text: str) -> list[tuple[str, int]]:
    items = text.split()
    return [(word, int(count)) for word, count in zip(items[::2], items[1::2],
                                                       strict=True)]


@pytest.mark.parametrize(("lang", "text"), [("en", ENGLISH), ("nl", DUTCH)])
def test_syllables_match_the_dictionary(lang, text):
    words = word_list(text)
    assert len(words) >= 60
    assert len({word for word, _count in words}) == len(words)
    counted = {word: count_syllables(word, lang) for word, _count in words}
    wrong = [(word, count, counted[word]) for word, count in words
             if counted[word] != count]
    assert len(wrong) <= 0.1 * len(words), wrong
    assert all(abs(expected - got) <= 1 for _word, expected, got in wrong), wrong


def test_syllables_of_numbers_abbreviations_and_joined_words():
    assert count_syllables("030 123 4567", "nl") == 1
    assert count_syllables("38.5", "en") == 1
    assert count_syllables("GP", "en") == 2
    assert count_syllables("NHS", "en") == 3
    assert count_syllables("GGD", "nl") == 3
    assert count_syllables("out-of-date", "en") == 3
    assert count_syllables("didn't", "en") == 2
    assert count_syllables("don't", "en") == 1
    assert count_syllables("we're", "en") == 1
    assert count_syllables("zo'n", "nl") == 1
    assert count_syllables("'s", "nl") == 1
    assert count_syllables("Ziekenhuis", "nl-BE") == 3
    assert count_syllables("ml", "en") == 1


def test_syllables_of_other_languages():
    assert count_syllables("молоко", "ru") == 3  # pyphen's ru dictionary
    assert count_syllables("médicament", "fr") == 4
    assert count_syllables("banana", "xx") == 3  # no dictionary: vowel groups
    # Arabic writes no short vowels: 1 per word, whatever its length.
    assert count_syllables("بالطبيب", "ar") == 1
    assert count_syllables("مستشفى", "ar") == 1


def test_sentences_end_at_end_punctuation_only():
    assert split_sentences("Rest today. Drink water! Any pain? Call us.", "en") == [
        "Rest today.", "Drink water!", "Any pain?", "Call us."]
    assert split_sentences("Bring this: your card; your letter. Thanks", "en") == [
        "Bring this: your card; your letter.", "Thanks"]
    assert split_sentences("هل تشعر بألم؟ اتصل بنا. شكرا", "ar") == [
        "هل تشعر بألم؟", "اتصل بنا.", "شكرا"]
    assert split_sentences("  ", "en") == []


def test_sentences_do_not_end_inside_numbers():
    assert split_sentences("Take 2.5 ml at 8.30 in the morning. Then rest.", "en") == [
        "Take 2.5 ml at 8.30 in the morning.", "Then rest."]
    assert split_sentences("Neem 2,5 ml om 8.30 uur. Rust daarna.", "nl") == [
        "Neem 2,5 ml om 8.30 uur.", "Rust daarna."]


def test_sentences_do_not_end_after_abbreviations():
    assert split_sentences("Take a painkiller, e.g. Paracetamol. Dr. Smith will "
                           "call you, i.e. Tomorrow. Bring plasters, etc. Thanks.",
                           "en") == [
        "Take a painkiller, e.g. Paracetamol.",
        "Dr. Smith will call you, i.e. Tomorrow.",
        "Bring plasters, etc. Thanks."]
    assert split_sentences("Neem bijv. Paracetamol. Bel dhr. Jansen of mw. De Vries "
                           "(o.a. 's avonds), d.w.z. Na 18 uur. Lees verder z.o.z. "
                           "Dank u.", "nl") == [
        "Neem bijv. Paracetamol.",
        "Bel dhr. Jansen of mw. De Vries (o.a. 's avonds), d.w.z. Na 18 uur.",
        "Lees verder z.o.z. Dank u."]
    # Another language's abbreviation is a normal word there.
    assert split_sentences("Neem een pil, etc. Daarna rust.", "nl") == [
        "Neem een pil, etc.", "Daarna rust."]


def test_a_lowercase_word_continues_the_sentence():
    assert split_sentences("Wait approx. ten minutes. Then go.", "en") == [
        "Wait approx. ten minutes.", "Then go."]
    assert split_sentences("Call St. thomas ward.", "en") == ["Call St. thomas ward."]


def test_words():
    assert split_words("Call 030 123 4567 or +31 20 555 1234 now") == [
        "Call", "030 123 4567", "or", "31 20 555 1234", "now"]
    assert split_words("1,000 people, at 8:30, 38.5 °C, 10% off, €5, 12/05/2025, "
                       "1-2 tablets") == [
        "1,000", "people", "at", "8:30", "38.5", "10", "off", "5", "12/05/2025",
        "1-2", "tablets"]
    assert split_words("out-of-hours, don’t, zo'n, 's avonds") == [
        "out-of-hours", "don’t", "zo'n", "'s", "avonds"]
    assert split_words("'quoted' - dash – and — (brackets)") == [
        "quoted", "dash", "and", "brackets"]
    assert split_words("हिंदी भाषा اتصل بِكُمْ") == ["हिंदी", "भाषा", "اتصل", "بِكُمْ"]
    assert split_words("% € ° ... !") == []


def test_long_words_count_letters_only():
    sentence = measure_sentence("Ring 0800 123 4567 out-of-hours; zo'n ziekenhuis.",
                                "nl")
    # out-of-hours and ziekenhuis have 10 letters; the phone number is no
    # long word and zo'n has 3 letters.
    assert (sentence.words, sentence.long_words) == (5, 2)
    # Six letters each, seven characters with the apostrophe or hyphen.
    assert measure_sentence("doesn't e-mails", "en").long_words == 0
    assert measure_sentence("12345678901", "en").long_words == 0


def test_sentence_counts_and_difficulty():
    sentence = measure_sentence("  Take the medicine tomorrow. ", "en")
    assert sentence == Sentence("Take the medicine tomorrow.", words=4,
                                syllables=1 + 1 + 3 + 3, long_words=2)
    assert sentence.difficulty == pytest.approx(4 + 10 * 8 / 4)
    assert measure_sentence("...", "en").difficulty == 0.0


def test_a_long_hard_sentence_is_more_difficult_than_a_short_plain_one():
    plain = measure_sentence("Rest for a day.", "en")
    hard = measure_sentence(
        "Following administration of the anaesthetic, patients should refrain "
        "from operating machinery or consuming alcoholic beverages until the "
        "sedative effects have completely dissipated.", "en")
    same_length = measure_sentence("Avoid hospital medication today.", "en")
    assert hard.difficulty > plain.difficulty + 20
    # Same length in words, longer words: harder.
    assert plain.words == same_length.words == 4
    assert same_length.difficulty > plain.difficulty


def test_english_formulas_by_hand():
    scores, sentences = measure(["Take the medicine tomorrow.", "Drink some water"],
                                "en")
    # take 1, the 1, medicine 3, tomorrow 3 | drink 1, some 1, water 2
    assert [sentence.text for sentence in sentences] == [
        "Take the medicine tomorrow.", "Drink some water"]
    assert scores == Scores(lang="en", sentences=2, words=7, syllables=12,
                            long_words=2, longest=4)
    assert scores.average_sentence == pytest.approx(3.5)
    assert scores.syllables_per_word == pytest.approx(12 / 7)
    assert scores.long_word_share == pytest.approx(2 / 7)
    assert scores.lix == pytest.approx(3.5 + 100 * 2 / 7)
    assert scores.flesch_reading_ease == pytest.approx(
        206.835 - 1.015 * 3.5 - 84.6 * 12 / 7)
    assert scores.flesch_douma is None
    assert scores.brouwer is None
    assert scores.ease == ("Flesch Reading Ease", scores.flesch_reading_ease)


def test_dutch_formulas_by_hand():
    scores, _sentences = measure(["Neem de medicijnen morgen in. Drink veel water."],
                                 "nl")
    # neem 1, de 1, medicijnen 4, morgen 2, in 1 | drink 1, veel 1, water 2
    assert scores == Scores(lang="nl", sentences=2, words=8, syllables=13,
                            long_words=1, longest=5)
    assert scores.lix == pytest.approx(8 / 2 + 100 * 1 / 8)
    assert scores.flesch_douma == pytest.approx(
        206.84 - 0.77 * (100 * 13 / 8) - 0.93 * (8 / 2))
    assert scores.brouwer == pytest.approx(195 - 2 * (8 / 2) - 67 * (13 / 8))
    assert scores.flesch_reading_ease is None
    assert scores.ease == ("Flesch-Douma", scores.flesch_douma)


@pytest.mark.parametrize("lang", ["en", "en_GB", "en-US"])
def test_english_variants_use_flesch(lang):
    scores, _ = measure(["Rest well."], lang)
    assert scores.ease is not None and scores.ease[0] == "Flesch Reading Ease"
    assert scores.flesch_douma is None and scores.brouwer is None


@pytest.mark.parametrize("lang", ["nl", "nl_BE", "nl-NL"])
def test_dutch_variants_use_douma_and_brouwer(lang):
    scores, _ = measure(["Rust goed uit."], lang)
    assert scores.ease is not None and scores.ease[0] == "Flesch-Douma"
    assert scores.brouwer is not None
    assert scores.flesch_reading_ease is None


def test_arabic_gets_lix_and_sentence_figures_but_no_ease():
    scores, sentences = measure(["هل تشعر بألم؟ اتصل بالطبيب فورا.", "ارتح"], "ar")
    assert [sentence.words for sentence in sentences] == [3, 3, 1]
    # بالطبيب has 7 letters; every word counts 1 syllable.
    assert scores == Scores(lang="ar", sentences=3, words=7, syllables=7,
                            long_words=1, longest=3)
    assert scores.lix == pytest.approx(7 / 3 + 100 / 7)
    assert scores.ease is None
    assert (scores.flesch_reading_ease, scores.flesch_douma, scores.brouwer) == (
        None, None, None)


def test_list_items_without_end_punctuation_are_sentences():
    units = ["Bring these to your appointment:", "your medicines",
             "a list of questions", "", "   ", "Arrive early. Park at gate 2."]
    scores, sentences = measure(units, "en")
    assert [sentence.text for sentence in sentences] == [
        "Bring these to your appointment:", "your medicines",
        "a list of questions", "Arrive early.", "Park at gate 2."]
    assert scores.sentences == 5
    assert scores.words == 5 + 2 + 4 + 2 + 4
    assert scores.longest == 5


@pytest.mark.parametrize("units", [[], [""], ["  ", "\n"], ["— …"]])
@pytest.mark.parametrize("lang", ["en", "nl", "ar"])
def test_empty_text_gives_zeros(units, lang):
    scores, sentences = measure(units, lang)
    assert sentences == []
    assert scores == Scores(lang=lang, sentences=0, words=0, syllables=0,
                            long_words=0, longest=0)
    assert (scores.average_sentence, scores.syllables_per_word,
            scores.long_word_share, scores.lix) == (0.0, 0.0, 0.0, 0.0)
    assert scores.ease is None
    assert scores.flesch_reading_ease is None and scores.flesch_douma is None
    assert scores.as_dict()["lix"] == 0.0


def test_as_dict_is_rounded_and_json_friendly():
    scores = Scores(lang="nl", sentences=3, words=20, syllables=31, long_words=3,
                    longest=9)
    data = scores.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data == {
        "lang": "nl", "sentences": 3, "words": 20, "syllables": 31,
        "long_words": 3, "longest": 9,
        "average_sentence": 6.7, "syllables_per_word": 1.6,
        "long_word_share": 0.1, "lix": 21.7,  # 6.667 + 15.0
        "flesch_reading_ease": None,
        "flesch_douma": 81.3,  # 206.84 - 119.35 - 6.2
        "brouwer": 77.8,  # 195 - 13.333 - 103.85
        "ease": {"formula": "Flesch-Douma", "score": 81.3},
    }


PLAIN_DUTCH = """U hebt vandaag een prik gekregen. Rust de rest van de dag goed uit.
Doe geen zwaar werk en ga niet sporten. Drink genoeg water. Hebt u veel pijn?
Neem dan een paracetamol."""

ACADEMIC_DUTCH = """Ter voorkoming van postinjectionele complicaties wordt
geadviseerd om gedurende de eerstvolgende vierentwintig uur fysieke inspanningen
van substantiële intensiteit te vermijden, aangezien deze de resorptie van het
toegediende geneesmiddel nadelig kunnen beïnvloeden."""


def test_plain_dutch_reads_easier_than_academic_dutch():
    plain, sentences = measure([PLAIN_DUTCH], "nl")
    academic, _ = measure([ACADEMIC_DUTCH], "nl")
    assert len(sentences) == 6
    assert plain.flesch_douma is not None and academic.flesch_douma is not None
    assert plain.flesch_douma >= 60
    assert academic.flesch_douma < plain.flesch_douma - 30
    assert academic.lix > plain.lix + 20
    assert academic.brouwer < plain.brouwer
