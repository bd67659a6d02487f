"""The sign form asks the inspector question only of those signing a pledge that needs it; without
JavaScript it asks everyone, and the server decides."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "what have you done?"


@pytest.mark.parametrize("javascript", [True, False])
def test_the_inspector_question_shows_only_for_the_stand_down_pledge(browser, live_server, javascript):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    tab = context.new_page()
    tab.goto("/sign/")
    question = tab.get_by_role("group", name=QUESTION)
    if not javascript:
        assert question.is_visible(), "without JavaScript every question shows"
    else:
        assert not question.is_visible()
        tab.get_by_label("Support the pause").check()
        assert not question.is_visible(), "this pledge does not ask it"
        tab.get_by_label("Stand down as an Ofsted Inspector").check()
        assert question.is_visible()
        tab.get_by_label("Stand down as an Ofsted Inspector").uncheck()
        assert not question.is_visible()
    context.close()


def test_the_question_stays_in_view_when_it_has_an_error(page):
    page.goto("/sign/?pledge=stand-down")
    page.get_by_role("button", name="Sign").last.click()
    question = page.get_by_role("group", name=QUESTION)
    assert question.is_visible()
    assert "Select whether you have made yourself unavailable or resigned" in question.inner_text()
