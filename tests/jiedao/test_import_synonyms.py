"""Issue 13 finding 14: imports accept the natural wording of every choice and, when refusing,
say which values are accepted; a whole file with such words goes in."""

import pytest

from communities.choices import CommunityKind
from communities.models import Community
from communities.resources import CommunityResource
from jiedao import imports
from jiedao.imports.widgets import ChoiceWidget
from tests.communities.test_import_export import csv_upload

pytestmark = pytest.mark.django_db

CATEGORY = ChoiceWidget({"full": "正式", "probationary": "预备"})
EDUCATION = ChoiceWidget({"bachelor": "大学本科", "college": "大专", "secondary": "高中/中专"}, required=False)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("正式", "full"),
        ("正式党员", "full"),
        (" 预备党员 ", "probationary"),
        ("预 备", "probationary"),
        ("full", "full"),
    ],
)
def test_member_category_accepts_the_common_wording(typed, stored):
    assert CATEGORY.clean(typed) == stored


@pytest.mark.parametrize(
    "typed, stored", [("本科", "bachelor"), ("大学专科", "college"), ("专科", "college"), ("中专", "secondary")]
)
def test_education_accepts_the_common_wording(typed, stored):
    assert EDUCATION.clean(typed) == stored


def test_a_synonym_counts_only_where_its_label_exists():
    with pytest.raises(imports.CellError) as caught:
        EDUCATION.clean("正式党员")
    assert str(caught.value) == "“正式党员”不是允许的值，可选：大学本科、大专、高中/中专。"


def test_a_file_written_in_natural_words_is_imported(staff):
    header = ["编码", "名称", "类型", "面积(平方公里)", "户数", "人口", "党组织名称", "曾为贫困村"]
    upload = csv_upload(
        [
            header,
            ["X1", "新城社区", "城市", "1.2", "300", "900", "新城社区党支部", "否"],
            ["X2", "新村社区", "村改居社区", "2.5", "400", "1200", "新村社区党支部", "是"],
        ]
    )
    outcome = imports.run_import(CommunityResource(actor=staff), upload)
    assert not outcome.problems
    assert dict(Community.objects.values_list("code", "kind")) == {
        "X1": CommunityKind.URBAN,
        "X2": CommunityKind.VILLAGE,
    }
