"""The appraisal's arithmetic, as pure functions (table-tested in tests/assessment/test_scoring.py).

- 街道党工委评价 (committee score): the mean of 德 能 勤 绩 廉, each 0–100.
- 民主测评 (democratic score): each rating earns its points (default 满意 100, 基本满意 60,
  不满意 0), averaged over the ratings; satisfaction = (满意 + 基本满意) / valid ballots.
- Weighted total: committee × w1 + democratic × w2 + target × w3, weights in percent summing to 100.
- Grade: a veto forces 不称职; otherwise the bands (default 优秀 ≥ 90, 称职 ≥ 80, 基本称职 ≥ 70).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .choices import Grade

TWO = Decimal("0.01")
FOUR = Decimal("0.0001")
HALF = Decimal("0.5")


@dataclass(frozen=True)
class Tally:
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0

    @property
    def valid(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.satisfied + other.satisfied, self.basic + other.basic, self.unsatisfied + other.unsatisfied)


@dataclass(frozen=True)
class Points:
    satisfied: Decimal = Decimal(100)
    basic: Decimal = Decimal(60)
    unsatisfied: Decimal = Decimal(0)


@dataclass(frozen=True)
class Bands:
    excellent: Decimal = Decimal(90)
    competent: Decimal = Decimal(80)
    basic: Decimal = Decimal(70)


def committee_score(scores: list[Decimal | None]) -> Decimal | None:
    """The mean of the five scores; None until all five are given."""
    if not scores or any(s is None for s in scores):
        return None
    return (sum(Decimal(s) for s in scores) / len(scores)).quantize(TWO, ROUND_HALF_UP)


def democratic_score(tally: Tally, points: Points = Points()) -> Decimal | None:
    if tally.valid == 0:
        return None
    earned = tally.satisfied * points.satisfied + tally.basic * points.basic + tally.unsatisfied * points.unsatisfied
    return (Decimal(earned) / tally.valid).quantize(TWO, ROUND_HALF_UP)


def satisfaction_rate(tally: Tally) -> Decimal | None:
    if tally.valid == 0:
        return None
    return (Decimal(tally.satisfied + tally.basic) / tally.valid).quantize(FOUR, ROUND_HALF_UP)


def weighted_total(
    *, committee: Decimal | None, democratic: Decimal | None, target: Decimal | None, weights: tuple[int, int, int]
) -> Decimal | None:
    """None until all three parts are known."""
    if committee is None or democratic is None or target is None:
        return None
    w_committee, w_democratic, w_target = weights
    total = (committee * w_committee + democratic * w_democratic + target * w_target) / Decimal(100)
    return total.quantize(TWO, ROUND_HALF_UP)


def grade_for(total: Decimal | None, *, veto: bool = False, bands: Bands = Bands()) -> str:
    """The grade; "" while the total is unknown (unless vetoed)."""
    if veto:
        return Grade.INCOMPETENT
    if total is None:
        return ""
    if total >= bands.excellent:
        return Grade.EXCELLENT
    if total >= bands.competent:
        return Grade.COMPETENT
    if total >= bands.basic:
        return Grade.BASIC
    return Grade.INCOMPETENT


def is_low_satisfaction(rate: Decimal | None) -> bool:
    return rate is not None and rate < HALF


def is_incompetent_twice(grade: str, previous_grade: str | None) -> bool:
    return grade == Grade.INCOMPETENT and previous_grade == Grade.INCOMPETENT
