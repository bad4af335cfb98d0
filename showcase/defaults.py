"""The default standards checklist (the seed: 成都市 A 类党员活动室 and a reading room, e-learning
room, reception room and gym; rules, management provisions and a disclosure board). Points add
up to 100, so a site's progress reads as a score."""

from django.utils.translation import gettext_lazy as _

from .choices import StandardCategory

HW, SW = StandardCategory.HARDWARE, StandardCategory.SOFTWARE

# code, category, title, description, points, required
DEFAULT_STANDARDS = [
    (
        "H1",
        HW,
        _("A-class party-member activity room"),
        _("Built to Chengdu's A-class standard for activity rooms."),
        15,
        True,
    ),
    (
        "H2",
        HW,
        _("Floor area of the activity centre"),
        _("At least 200 m² in all; the activity room at least 80 m²."),
        10,
        True,
    ),
    ("H3", HW, _("Reading room"), _("Books and newspapers on party theory, law, farming and trades."), 5, True),
    ("H4", HW, _("E-learning room"), _("Equipment for distance education of party members."), 10, True),
    ("H5", HW, _("Party-member reception room"), _("A room where residents meet the branch's cadres."), 5, True),
    ("H6", HW, _("Gym"), _("Fitness equipment open to residents."), 5, False),
    (
        "S1",
        SW,
        _("Rules and regulations on the wall"),
        _("The branch's working rules displayed in the activity room."),
        10,
        True,
    ),
    ("S2", SW, _("Management provisions"), _("Provisions for members, the activity room and the files."), 10, True),
    ("S3", SW, _("Disclosure board"), _("Party, government, residents' and financial affairs disclosed."), 10, True),
    ("S4", SW, _("Working records and files"), _("Meetings, study and activities recorded and filed."), 10, True),
    ("S5", SW, _("Distinctive theme (一点一特色)"), _("The site's own theme shows in its work."), 5, False),
    ("S6", SW, _("Member study programme"), _("A yearly study plan carried out and recorded."), 5, False),
]
