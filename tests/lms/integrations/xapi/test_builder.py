"""The statement builder alone: stable ids, the pseudonymous actor, e-mail only on request."""

from lms.integrations.xapi import statements

STORE = statements.Store(association_id=7, home_page="https://great-lakes.example")
LEARNER = statements.Learner(pk=42, email="ada@example.org")
VIDEO = statements.Activity("https://great-lakes.example/xapi/recordings/1", "Cues")


def event(**fields):
    return statements.VideoEvent(
        **{"verb": "paused", "key": "9:tab-a:3", "video": VIDEO, "training": None,
           "session": "tab-a", "time": 12.5, "length": 120.0, "progress": 0.1,
           "segments": ((0.0, 12.5),), **fields}
    )  # fmt: skip


def test_the_same_event_gives_the_same_statement_id_and_another_event_another(settings):
    settings.ATTUNE_XAPI_NAMESPACE = "0b8e2a4c-3d5f-4a6b-8c7d-9e0f1a2b3c4d"
    first = statements.video_statement(store=STORE, learner=LEARNER, event=event())
    again = statements.video_statement(store=STORE, learner=LEARNER, event=event(time=13))
    other = statements.video_statement(store=STORE, learner=LEARNER, event=event(key="9:tab-a:4"))
    assert first["id"] == again["id"] != other["id"]
    # Another association (or installation) gets other ids and another pseudonym.
    elsewhere = statements.Store(association_id=8, home_page="https://prairie.example")
    theirs = statements.video_statement(store=elsewhere, learner=LEARNER, event=event())
    assert theirs["id"] != first["id"]
    assert theirs["actor"]["account"]["name"] != first["actor"]["account"]["name"]


def test_the_actor_is_a_pseudonym_unless_the_association_asks_for_email():
    pseudonymous = statements.actor(store=STORE, learner=LEARNER)
    assert pseudonymous["account"]["homePage"] == "https://great-lakes.example"
    assert "ada" not in str(pseudonymous) and pseudonymous["account"]["name"] != "42"
    by_email = statements.Store(association_id=7, home_page="x", share_email=True)
    assert statements.actor(store=by_email, learner=LEARNER) == {
        "objectType": "Agent",
        "mbox": "mailto:ada@example.org",
    }


def test_played_segments_use_the_video_profile_notation():
    assert statements.played_segments(((0, 10.25), (30, 45.5))) == "0.0[.]10.25[,]30.0[.]45.5"
