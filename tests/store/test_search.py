"""The bigram index must answer exactly "is the query a substring" — checked against Python's
own ``in`` on real databases."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govdesk.core.notices import NoticeFilter
from govdesk.store import notice_store, search
from govdesk.store.database import connect

ALPHABET = "低保扶贫公示资金村镇 〔〕-1号aA"


def _insert(db, i, title, body=""):
    return notice_store.insert_notice(db, {
        "index_number": f"X/2025-{i:05}", "title": title, "body": body, "doc_number": "",
        "formed_on": "2025-01-02", "publish_due": "2025-02-01", "year": 2025,
        "status": "草稿", "created_at": "t", "updated_at": "t",
    }, [])


def test_two_character_word_in_the_middle_of_a_sentence(tmp_path):
    db = connect(tmp_path / "s.db")
    a = _insert(db, 1, "关于柳河村低保对象的公示")
    _insert(db, 2, "关于扶贫资金使用情况的公告")
    c = _insert(db, 3, "会议纪要", "研究了低保和扶贫工作")
    _insert(db, 4, "单字 号")  # one-character run
    ids = notice_store.ids(db, NoticeFilter(search="低保"))
    assert sorted(ids) == [a, c]
    assert notice_store.ids(db, NoticeFilter(search="扶贫资金")) == [2]
    assert notice_store.ids(db, NoticeFilter(search="号")) == [4]
    assert notice_store.ids(db, NoticeFilter(search="低保 扶贫")) == [c]
    assert sorted(notice_store.ids(db, NoticeFilter(search="保"))) == [a, c]  # one character
    assert notice_store.ids(db, NoticeFilter(search="X/2025-00002")) == [2]
    assert sorted(notice_store.ids(db, NoticeFilter(search="要"))) == [c]  # ends the body
    assert notice_store.count(db, NoticeFilter(search="低保")) == 2


def test_whitespace_breaks_runs_so_phrases_do_not_cross_them(tmp_path):
    db = connect(tmp_path / "s.db")
    _insert(db, 1, "AB BC")
    assert notice_store.ids(db, NoticeFilter(search="ABC")) == []
    assert notice_store.ids(db, NoticeFilter(search="ab")) == [1]


def test_update_and_delete_keep_the_index_exact(tmp_path):
    db = connect(tmp_path / "s.db")
    nid = _insert(db, 1, "低保公示")
    notice_store.update_notice(db, nid, {"title": "扶贫公告"}, [])
    assert notice_store.ids(db, NoticeFilter(search="低保")) == []
    assert notice_store.ids(db, NoticeFilter(search="扶贫")) == [nid]
    notice_store.delete_notice(db, nid)
    assert notice_store.ids(db, NoticeFilter(search="扶贫")) == []
    db.execute("INSERT INTO notice_search(notice_search) VALUES ('integrity-check')")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(ALPHABET, min_size=0, max_size=12), min_size=1, max_size=6),
       query=st.text(ALPHABET.replace(" ", ""), min_size=1, max_size=4))
def test_search_equals_substring(tmp_path_factory, texts, query):
    db = connect(tmp_path_factory.mktemp("h") / "s.db")
    for i, t in enumerate(texts, 1):
        _insert(db, i, t)
    got = sorted(notice_store.ids(db, NoticeFilter(search=query)))
    expected = [
        i for i, t in enumerate(texts, 1)
        if search.normalise(query) in search.normalise(t) or query in f"X/2025-{i:05}"
    ]
    assert got == expected
    db.close()


def test_grams_are_ascii_tokens():
    g = search.grams("低保", "〔2025〕")
    assert g.isascii()
    assert search.match_expression("低") == "4f4eg*"
    assert search.match_expression("  ") is None
    # the phrase is the text's bigrams, without the run's last-character token
    assert search.match_expression("低保对象") == '"' + " ".join(
        search.grams("低保对象").split()[:-1]) + '"'
    assert date  # keep import used
