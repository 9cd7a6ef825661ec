"""Speech identity: every source is its own speech; same-named files never replace each other."""
from ingest.model import Speech
from ingest.pipeline import ingest_paths
from ingest.uploads import save_and_ingest
from tests.conftest import SPEECHES

MINE = "同志们：\n我们单位的第一段讲话内容。\n"
OTHER = "同志们：\n另一个单位完全不同的讲话内容。\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def texts(engine, sid):
    return [p.text for p in engine.store.speeches()[sid].paragraphs]


def test_same_name_from_another_folder_is_kept_apart(engine, tmp_path):
    a = write(tmp_path / "mine" / "讲话.txt", MINE)
    b = write(tmp_path / "other" / "讲话.txt", OTHER)
    (ra,) = ingest_paths([a], engine.store)
    (rb,) = ingest_paths([b], engine.store)
    assert (ra.speech, ra.status) == ("讲话", "added")
    assert (rb.speech, rb.status) == ("讲话-2", "added")
    speeches = engine.store.speeches()
    assert texts(engine, "讲话")[1] == "我们单位的第一段讲话内容。"  # not replaced
    assert texts(engine, "讲话-2")[1] == "另一个单位完全不同的讲话内容。"
    assert speeches["讲话"].source == str(a.resolve()) and speeches["讲话-2"].source == str(b.resolve())
    assert speeches["讲话"].origin == speeches["讲话-2"].origin == "讲话.txt"
    # Each source is updated only by itself, and keeps its id.
    write(b, OTHER.replace("完全不同", "修改后"))
    (r,) = ingest_paths([a, b], engine.store)[1:]
    assert (r.speech, r.status) == ("讲话-2", "updated")
    assert texts(engine, "讲话")[1] == "我们单位的第一段讲话内容。"
    assert "修改后" in texts(engine, "讲话-2")[1]


def test_same_name_twice_in_one_batch_is_kept_apart(engine, tmp_path):
    a = write(tmp_path / "x" / "讲话.txt", MINE)
    b = write(tmp_path / "y" / "讲话.txt", OTHER)
    reports = ingest_paths([a, b], engine.store)
    assert [(r.speech, r.status) for r in reports] == [("讲话", "added"), ("讲话-2", "added")]


def test_a_file_name_can_never_make_an_internal_record_id(engine, tmp_path):
    names = ["~stamp~", "~pending~讲话", "~format~", "~"]
    files = [write(tmp_path / f"{n}.txt", f"同志们：\n第{i}篇内容各不相同。\n") for i, n in enumerate(names)]
    reports = ingest_paths(files, engine.store)
    assert all(r.status == "added" for r in reports), reports
    ids = [r.speech for r in reports]
    assert not any(i.startswith("~") for i in ids) and len(set(ids)) == 4
    engine.store.refresh()
    assert set(engine.store.speeches()) == set(ids)  # all visible, none taken for bookkeeping


def test_upload_named_like_a_bundled_speech_does_not_replace_it(engine, tmp_path):
    ingest_paths([SPEECHES], engine.store)
    stem = sorted(SPEECHES.glob("*.txt"))[0].stem
    before = texts(engine, stem)
    upload = write(tmp_path / "browser" / f"{stem}.txt", OTHER)
    (r,) = save_and_ingest([upload], engine.store, tmp_path / "index" / "uploads")
    assert (r.status, r.speech) == ("added", f"{stem}-2")
    assert texts(engine, stem) == before
    sp = engine.store.speeches()[f"{stem}-2"]
    assert sp.origin == f"{stem}.txt" and texts(engine, sp.id)[1] == "另一个单位完全不同的讲话内容。"


def test_uploads_same_file_is_unchanged_same_name_other_text_is_new(engine, tmp_path):
    uploads = tmp_path / "index" / "uploads"
    first = write(tmp_path / "u1" / "讲话.txt", MINE)
    (r1,) = save_and_ingest([first], engine.store, uploads)
    (r2,) = save_and_ingest([write(tmp_path / "u2" / "讲话.txt", MINE)], engine.store, uploads)
    (r3,) = save_and_ingest([write(tmp_path / "u3" / "讲话.txt", OTHER)], engine.store, uploads)
    assert [(r.speech, r.status) for r in (r1, r2, r3)] == [("讲话", "added"), ("讲话", "unchanged"), ("讲话-2", "added")]
    speeches = engine.store.speeches()
    assert texts(engine, "讲话")[1] == "我们单位的第一段讲话内容。"
    from pathlib import Path
    assert all(Path(s.source).is_file() and Path(s.source).is_relative_to(uploads) for s in speeches.values())
    assert (uploads / "讲话.txt").read_text(encoding="utf-8") == MINE  # the first upload's copy is kept


def test_duplicate_reason_names_the_file_not_its_path(engine, tmp_path):
    a = write(tmp_path / "secret-folder" / "a.txt", MINE)
    b = write(tmp_path / "b.txt", MINE)
    reports = ingest_paths([a, b], engine.store)
    assert reports[1].status == "duplicate"
    assert "same text as 'a' (a.txt)" in reports[1].reason
    assert "secret-folder" not in reports[1].reason and str(tmp_path) not in reports[1].reason


def test_records_without_origin_still_load():
    old = {"id": "s", "title": "t", "source": "/data/speeches/s.txt", "hash": "h", "date": "", "speaker": "",
           "paragraphs": [["", "内容", False, None]]}
    sp = Speech.from_dict(old)
    assert sp.origin == "s.txt" and sp.paragraphs[0].text == "内容"
    again = Speech.from_dict(sp.to_dict())
    assert again == sp
