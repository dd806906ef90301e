"""The settings file, the environment over it, and one deployment hosting several forums."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from followup.settings import Settings, SettingsFileError

PG = "postgresql://postgres@127.0.0.1:5432/followup"


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def write(text: str) -> Path:
        path = tmp_path / "followup.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv("FOLLOWUP_SETTINGS_FILE", str(path))
        return path

    for name in ("FOLLOWUP_DATABASE_URL", "FOLLOWUP_FORUM", "FOLLOWUP_PORT"):
        monkeypatch.delenv(name, raising=False)
    return write


def test_the_file_sets_values_and_the_environment_wins_over_it(settings_file, monkeypatch):
    settings_file("port = 9100\ndue_soon_days = 45\nreminder_offsets = [21, 7]\n")
    monkeypatch.setenv("FOLLOWUP_PORT", "9200")
    settings = Settings()
    assert settings.port == 9200
    assert settings.due_soon_days == 45
    assert settings.reminder_offsets == [21, 7]


def test_a_misspelt_setting_in_the_file_is_named(settings_file):
    settings_file("due_son_days = 45\n")
    with pytest.raises(SettingsFileError, match="unknown setting 'due_son_days'"):
        Settings()


def test_a_file_that_is_not_toml_says_where(settings_file):
    settings_file("port = \n")
    with pytest.raises(SettingsFileError, match=r"line 1"):
        Settings()


def test_a_missing_file_is_an_error_not_the_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("FOLLOWUP_SETTINGS_FILE", str(tmp_path / "nowhere.toml"))
    with pytest.raises(SettingsFileError, match="cannot read"):
        Settings()


def test_a_bad_value_in_the_file_is_refused(settings_file):
    settings_file('languages = ["en", "de"]\n')
    with pytest.raises(ValidationError, match="languages must be among en, fr, es"):
        Settings()


def test_one_forum_without_a_forums_table(settings_file):
    settings_file('forum = "gfmd"\n')
    settings = Settings()
    assert [s.forum for s in settings.hosted()] == ["gfmd"]
    assert settings.selected() is settings


def test_each_forum_overrides_what_it_names_and_inherits_the_rest(settings_file):
    settings_file(
        f"""
database_url = "{PG}"
due_soon_days = 20
[forums.gfmd]
hosts = ["gfmd.example.org"]
[forums.rcp]
hosts = ["rcp.example.org"]
languages = ["es", "en"]
due_soon_days = 60
public_api = false
"""
    )
    gfmd, rcp = Settings().hosted()
    assert (gfmd.forum, gfmd.due_soon_days, gfmd.languages) == ("gfmd", 20, ["en", "fr", "es"])
    assert (rcp.forum, rcp.due_soon_days, rcp.languages) == ("rcp", 60, ["es", "en"])
    assert (gfmd.public_api, rcp.public_api) == (True, False)
    assert gfmd.effective_database_url == rcp.effective_database_url == PG
    assert (gfmd.database_schema, rcp.database_schema) == ("forum_gfmd", "forum_rcp")


def test_on_sqlite_each_forum_gets_a_file_of_its_own(settings_file, tmp_path):
    settings_file(f'data_dir = "{tmp_path.as_posix()}"\n[forums.gfmd]\n[forums.rcp]\n')
    urls = [s.effective_database_url for s in Settings().hosted()]
    assert urls == [
        f"sqlite:///{tmp_path.as_posix()}/forums/gfmd.sqlite",
        f"sqlite:///{tmp_path.as_posix()}/forums/rcp.sqlite",
    ]


def test_two_forums_may_not_share_a_store(settings_file):
    settings_file(f'[forums.gfmd]\ndatabase_url = "{PG}"\n[forums.rcp]\ndatabase_url = "{PG}"\n')
    with pytest.raises(SettingsFileError, match="'gfmd' and 'rcp' would share one store"):
        Settings().hosted()


def test_two_forums_may_not_claim_one_host(settings_file):
    settings_file('[forums.gfmd]\nhosts = ["x.org"]\n[forums.rcp]\nhosts = ["X.org"]\n')
    with pytest.raises(SettingsFileError, match=r"host 'X\.org' is claimed by forums 'gfmd'"):
        Settings().hosted()


def test_deployment_wide_settings_are_refused_inside_a_forum(settings_file):
    settings_file("[forums.gfmd]\nworkers = 4\n")
    with pytest.raises(SettingsFileError, match=r"unknown setting 'workers' in \[forums.gfmd\]"):
        Settings()


def test_a_forum_code_is_checked(settings_file):
    settings_file("[forums.GFMD]\n")
    with pytest.raises(SettingsFileError, match="forum code 'GFMD'"):
        Settings().hosted()


def test_a_command_works_on_the_forum_it_names(settings_file, monkeypatch):
    settings_file("[forums.gfmd]\n[forums.rcp]\n")
    monkeypatch.setenv("FOLLOWUP_FORUM", "rcp")
    assert Settings().selected().forum == "rcp"
    monkeypatch.setenv("FOLLOWUP_FORUM", "abc")
    with pytest.raises(SettingsFileError, match=r"'abc' is not hosted here \(hosted: gfmd, rcp\)"):
        Settings().selected()


def test_a_sqlite_deployment_runs_everything_in_serve_and_migrates_itself():
    sqlite = Settings(database_url="sqlite:///x.sqlite")
    assert sqlite.runs_embedded_worker and sqlite.migrates_at_start
    postgres = Settings(database_url=PG)
    assert not postgres.runs_embedded_worker and not postgres.migrates_at_start
    assert Settings(database_url=PG, embedded_worker=True, auto_migrate=True).runs_embedded_worker


def test_write_threads_come_from_the_environment_and_zero_is_refused(monkeypatch):
    monkeypatch.setenv("FOLLOWUP_WRITE_THREADS", "3")
    assert Settings().write_threads == 3
    monkeypatch.setenv("FOLLOWUP_WRITE_THREADS", "0")
    with pytest.raises(ValidationError, match="write_threads"):
        Settings()
