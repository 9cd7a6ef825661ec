"""Settings: flags over environment over defaults, and secrets never printed."""
from shell.settings import Settings

SECRETS = {"llm_key": "sk-TOPSECRET", "auth": "admin:hunter2", "llm_url": "https://api.example/v1?key=URLSECRET"}


def test_repr_and_str_hide_secrets():
    s = Settings.load(**SECRETS, llm_model="m")
    for text in (repr(s), str(s), f"{s}", f"{s!r}"):
        for secret in ("TOPSECRET", "hunter2", "URLSECRET", "api.example"):
            assert secret not in text, text
    assert "llm_model='m'" in repr(s)  # what is not secret is still shown
    assert s.llm_key == "sk-TOPSECRET" and s.auth == "admin:hunter2"


def test_environment_is_read_and_flags_win(monkeypatch):
    monkeypatch.setenv("SPEECHQA_LLM_KEY", "from-env")
    monkeypatch.setenv("SPEECHQA_PORT", "9000")
    s = Settings.load()
    assert s.llm_key == "from-env" and s.port == 9000
    assert Settings.load(llm_key="from-flag", port=8001).llm_key == "from-flag"
    assert "from-env" not in repr(s)
