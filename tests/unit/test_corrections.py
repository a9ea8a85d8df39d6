"""Corrections: the wording that lets a smaller figure lower a published toll."""

from tollstream.core.corrections import article_corrects, figure_corrects


def corrects(sentence: str, number: str) -> bool:
    return figure_corrects(sentence, 0, len(sentence), sentence.index(number))


def test_only_before_the_number_is_a_correction() -> None:
    assert corrects("The governor said only 112 and not 250 students were taken from the school.", "112")


def test_contrast_with_an_earlier_figure_is_a_correction() -> None:
    assert corrects("Officials now put the dead at 31 rather than the 45 first reported.", "31")


def test_plain_lower_figure_is_not_a_correction() -> None:
    assert not corrects("The president said 100 people died in the twin blasts on Saturday.", "100")


def test_only_far_from_the_number_is_not_a_correction() -> None:
    assert not corrects("Only hours after the blast, police said 80 people had been wounded.", "80")


def test_article_that_clarifies_the_number_of_deaths_corrects_all_its_figures() -> None:
    assert article_corrects("The state governor has clarified the number of deaths in the church attack.")


def test_article_admitting_earlier_figures_were_wrong_is_a_correction() -> None:
    assert article_corrects("He admitted that the earlier figures were wrong and gave a new count.")


def test_ordinary_report_is_not_a_correction() -> None:
    assert not article_corrects("Police said 12 people were killed when gunmen opened fire on a bus.")
