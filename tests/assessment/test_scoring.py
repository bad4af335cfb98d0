"""The appraisal's rules, table by table: weighted total, grade bands, veto, satisfaction, flags."""

from decimal import Decimal as D

import pytest

from assessment import scoring
from assessment.choices import Grade
from assessment.scoring import Bands, Points, Tally


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([90, 80, 70, 60, 100], D("80.00")),
        ([85, 85, 85, 85, 86], D("85.20")),
        ([0, 0, 0, 0, 0], D("0.00")),
        ([100, 100, 100, 100, None], None),  # incomplete: no committee score yet
    ],
)
def test_committee_score_is_the_mean_of_de_neng_qin_ji_lian(scores, expected):
    assert scoring.committee_score([D(s) if s is not None else None for s in scores]) == expected


@pytest.mark.parametrize(
    ("tally", "points", "score", "satisfaction"),
    [
        (Tally(10, 0, 0), Points(), D("100.00"), D("1.0000")),
        (Tally(0, 10, 0), Points(), D("60.00"), D("1.0000")),
        (Tally(0, 0, 10), Points(), D("0.00"), D("0.0000")),
        (Tally(6, 3, 1), Points(), D("78.00"), D("0.9000")),  # (600 + 180 + 0) / 10
        (Tally(2, 2, 6), Points(), D("32.00"), D("0.4000")),
        (Tally(1, 1, 1), Points(D(100), D(80), D(40)), D("73.33"), D("0.6667")),  # a configured formula
        (Tally(0, 0, 0), Points(), None, None),  # nobody voted
    ],
)
def test_democratic_score_and_satisfaction(tally, points, score, satisfaction):
    assert scoring.democratic_score(tally, points) == score
    assert scoring.satisfaction_rate(tally) == satisfaction


@pytest.mark.parametrize(
    ("committee", "democratic", "target", "weights", "total"),
    [
        (D(90), D(80), D(70), (20, 30, 50), D("77.00")),  # 18 + 24 + 35
        (D(100), D(100), D(100), (20, 30, 50), D("100.00")),
        (D(90), D(80), D(70), (40, 40, 20), D("82.00")),  # other weights
        (D("85.2"), D("78.33"), D("91.5"), (20, 30, 50), D("86.29")),  # 17.04 + 23.499 + 45.75
        (None, D(80), D(70), (20, 30, 50), None),  # a part is missing: no total
        (D(90), None, D(70), (20, 30, 50), None),
    ],
)
def test_weighted_total(committee, democratic, target, weights, total):
    assert scoring.weighted_total(committee=committee, democratic=democratic, target=target, weights=weights) == total


@pytest.mark.parametrize(
    ("total", "veto", "bands", "grade"),
    [
        (D("100"), False, Bands(), Grade.EXCELLENT),
        (D("90.00"), False, Bands(), Grade.EXCELLENT),  # the band includes its threshold
        (D("89.99"), False, Bands(), Grade.COMPETENT),
        (D("80.00"), False, Bands(), Grade.COMPETENT),
        (D("79.99"), False, Bands(), Grade.BASIC),
        (D("70.00"), False, Bands(), Grade.BASIC),
        (D("69.99"), False, Bands(), Grade.INCOMPETENT),
        (D("0"), False, Bands(), Grade.INCOMPETENT),
        (D("98.00"), True, Bands(), Grade.INCOMPETENT),  # a veto forces 不称职 whatever the score
        (None, True, Bands(), Grade.INCOMPETENT),
        (None, False, Bands(), ""),  # not yet gradable
        (D("86"), False, Bands(D(85), D(75), D(60)), Grade.EXCELLENT),  # configured bands
        (D("59.5"), False, Bands(D(85), D(75), D(60)), Grade.INCOMPETENT),
    ],
)
def test_grade_bands_and_veto(total, veto, bands, grade):
    assert scoring.grade_for(total, veto=veto, bands=bands) == grade


@pytest.mark.parametrize(
    ("rate", "flagged"),
    [(D("0.4999"), True), (D("0"), True), (D("0.5"), False), (D("0.9"), False), (None, False)],
)
def test_low_satisfaction_flag_is_below_half(rate, flagged):
    assert scoring.is_low_satisfaction(rate) is flagged


@pytest.mark.parametrize(
    ("grade", "previous", "flagged"),
    [
        (Grade.INCOMPETENT, Grade.INCOMPETENT, True),
        (Grade.INCOMPETENT, Grade.BASIC, False),
        (Grade.INCOMPETENT, None, False),  # no appraisal the year before
        (Grade.BASIC, Grade.INCOMPETENT, False),
        ("", Grade.INCOMPETENT, False),
    ],
)
def test_incompetent_two_years_running_flag(grade, previous, flagged):
    assert scoring.is_incompetent_twice(grade, previous) is flagged
