"""The pages `make bench` measures, on a city built by `manage.py seed_scale` (first community's
board, its latest public notice). Plain SQL, so the benchmark can ask a database it does not run
Django against."""

PUBLIC = [
    "home",
    "index",
    "board",
    "filtered board",
    "notice",
    "feed",
    "print",
    "shifan",
    "search",
    "rights index",
    "rights community",
    "meetings",
]
STAFF = ["dashboard", "monthly overview", "staff notices", "todo", "timeliness"]

NOTICE_SQL = """
SELECT b.slug, n.id FROM disclosure_notice n
JOIN disclosure_board b ON b.id = n.board_id
JOIN disclosure_catalogitem c ON c.id = n.catalog_item_id
WHERE b.slug = (SELECT slug FROM disclosure_board WHERE community_id IS NOT NULL ORDER BY slug LIMIT 1)
  AND n.status = 'published' AND c.audience = 'public'
ORDER BY n.period_start DESC, n.id DESC LIMIT 1
"""


def page_urls(query) -> dict[str, str]:
    """name → path; `query(sql)` returns the rows of a query."""
    slug, notice = query(NOTICE_SQL)[0]
    (year,) = query("SELECT MAX(EXTRACT(YEAR FROM period_start))::int FROM disclosure_notice")[0]
    return {
        "home": "/",
        "index": "/gongkai/",
        "board": f"/gongkai/{slug}/",
        "filtered board": f"/gongkai/{slug}/?category=finance&year={year}",
        "notice": f"/gongkai/{slug}/{notice}/",
        "feed": f"/gongkai/{slug}/feed/",
        "print": f"/gongkai/{slug}/{notice}/print/",
        "shifan": "/shifan/",
        "search": "/gongkai/search/?q=%E5%85%AC%E5%BC%80",  # 公开
        "rights index": f"/gongkai/siquan/?year={year}",  # 四权 index
        "rights community": f"/gongkai/siquan/{slug}/?year={year}",
        "meetings": f"/gongkai/{slug}/yishi/",  # the board's meetings (decision trails)
        "dashboard": "/subdistrict/dashboard/",
        "monthly overview": "/communities/monthly/",
        "staff notices": "/disclosure/",
        "todo": "/todo/",  # 我的待办 (jiedao/todo)
        "timeliness": f"/disclosure/timeliness/?year={year}",  # 公开及时率
    }
