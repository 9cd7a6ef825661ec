"""Ingest into a real embedded Chroma with the fake embedder: idempotence, updates, renames, prune."""
from ingest.pipeline import ingest_paths


def stats(engine):
    s = engine.store.speeches()
    return len(s), sum(len(x.paragraphs) for x in s.values()), engine.store.chunk_count()


def statuses(reports):
    return sorted((r.speech, r.status) for r in reports)


def test_reingest_unchanged_adds_nothing(engine, speeches_copy):
    first = ingest_paths([speeches_copy], engine.store)
    assert {r.status for r in first} == {"added"}
    before = stats(engine)
    assert before[0] == 5 and before[1] == 119
    calls = engine.store.embeddings.inner.calls
    again = ingest_paths([speeches_copy], engine.store)
    assert {r.status for r in again} == {"unchanged"}
    assert stats(engine) == before
    assert engine.store.embeddings.inner.calls == calls  # nothing re-embedded


def test_changed_file_replaces_its_chunks(engine, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("同志们：\n旧的第一段内容。\n旧的第二段内容。", encoding="utf-8")
    ingest_paths([f], engine.store)
    f.write_text("同志们：\n新的第一段内容。", encoding="utf-8")
    (r,) = ingest_paths([f], engine.store)
    assert r.status == "updated"
    assert stats(engine) == (1, 2, 2)
    texts = engine.store.chunks.get()["documents"]
    assert sorted(texts) == ["同志们：", "新的第一段内容。"]


def test_prune_removes_speeches_whose_files_are_gone(engine, speeches_copy):
    ingest_paths([speeches_copy], engine.store)
    victim = sorted(speeches_copy.glob("*.txt"))[0]
    victim.unlink()
    reports = ingest_paths([speeches_copy], engine.store, prune=True)
    assert (victim.stem, "pruned") in statuses(reports)
    assert victim.stem not in engine.store.speeches()
    assert stats(engine)[0] == 4
    assert all(m["speech"] != victim.stem for m in engine.store.chunks.get()["metadatas"])


def test_rename_keeps_paragraphs_without_duplicates(engine, tmp_path):
    f = tmp_path / "old.txt"
    f.write_text("同志们：\n唯一的内容段落。", encoding="utf-8")
    ingest_paths([f], engine.store)
    before = stats(engine)
    f.rename(tmp_path / "new.txt")
    calls = engine.store.embeddings.inner.calls
    (r,) = ingest_paths([tmp_path / "new.txt"], engine.store)
    assert r.status == "renamed"
    assert set(engine.store.speeches()) == {"new"}
    assert stats(engine) == before
    assert engine.store.embeddings.inner.calls == calls  # vectors come from the cache


def test_same_content_under_another_name_is_a_duplicate(engine, tmp_path):
    (tmp_path / "a.txt").write_text("同志们：\n内容。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("同志们：\n内容。", encoding="utf-8")
    reports = ingest_paths([tmp_path], engine.store)
    assert statuses(reports) == [("a", "added"), ("b", "duplicate")]
    assert "same text as 'a'" in reports[1].reason
    assert stats(engine)[0] == 1


def test_rejected_file_leaves_the_store_as_it_was(engine, tmp_path):
    (tmp_path / "good.txt").write_text("同志们：\n内容。", encoding="utf-8")
    ingest_paths([tmp_path / "good.txt"], engine.store)
    before = stats(engine)
    (tmp_path / "empty.txt").write_text("  \n\n", encoding="utf-8")
    (tmp_path / "x.xls").write_bytes(b"abc")
    reports = ingest_paths([tmp_path / "empty.txt", tmp_path / "x.xls", tmp_path / "missing.txt"], engine.store)
    assert [r.status for r in reports] == ["rejected"] * 3
    assert "empty" in reports[0].reason
    assert "unsupported file type '.xls'" in reports[1].reason
    assert "no such file" in reports[2].reason
    assert stats(engine) == before


def test_sweep_removes_chunks_of_an_interrupted_ingest(engine, tmp_path):
    from ingest.pipeline import load_speech

    f = tmp_path / "a.txt"
    f.write_text("同志们：\n内容一。\n内容二。", encoding="utf-8")
    speech, chunks = load_speech(f)
    store = engine.store
    # Simulate a crash after the chunks were written but before the speech record (the commit point).
    real_upsert = store._speeches.upsert
    calls = []

    def crash_on_commit(**kw):
        if not kw["ids"][0].startswith("~pending~"):
            raise KeyboardInterrupt("killed")
        calls.append(kw)
        return real_upsert(**kw)

    store._speeches.upsert = crash_on_commit
    try:
        store.put_speech(speech, chunks)
    except KeyboardInterrupt:
        pass
    store._speeches.upsert = real_upsert
    assert calls and len(store.chunks.get()["ids"]) == 3
    store.refresh()
    assert store.speeches() == {}
    assert store.chunk_count() == 0  # invisible to readers
    assert store.sweep() == 3
    assert store.chunks.get()["ids"] == []
    assert [i for i in store._speeches.get()["ids"] if i.startswith("~pending~")] == []  # the note is gone too


def test_full_sweep_finds_chunks_of_no_speech(engine):
    engine.store.chunks.add_texts(["孤立的块"], metadatas=[{"speech": "x", "paragraph": 1, "start": 0, "end": 4,
                                                        "key": "x@0"}], ids=["orphan"])
    assert engine.store.sweep() == 0
    assert engine.store.sweep(full=True) == 1
