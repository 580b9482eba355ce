"""The moment of posting on each platform's fixture page: every way a post leaves gets the last
check once, and the draft always gets out when the user says so (Chromium, the real service)."""

from __future__ import annotations

from tests.e2e import pages as P
from tests.e2e.platforms import Platform

DRAFT = P.DRAFT

# YouTube's live chat, a page of its own in a frame of the live video's page.
LIVE_CHAT = Platform("youtube-live-chat", "#input", '#send-button button[aria-label="Gửi"]',
                     "contenteditable")


def test_enter_in_youtube_live_chat_gets_the_last_check(ext, fixture_server, service) -> None:
    """Enter sends a live chat message (its own keydown handler): it is held like the Send
    button, and "Post anyway" sends exactly the draft, once. Before, Enter sent it unchecked."""
    page = ext.new_page()
    try:
        page.goto("https://www.youtube.com/live")
        frame = page.wait_for_selector("iframe#chat").content_frame()
        frame.wait_for_selector("body[data-fixture='youtube-live-chat'][data-ready='1']")
        P.focus_editor(frame, LIVE_CHAT)
        page.keyboard.type(DRAFT)
        P.wait_marks(frame, P.expected_marks(service, DRAFT))
        page.keyboard.press("Enter")
        P.edit_from_dialog(frame, LIVE_CHAT, DRAFT)
        page.keyboard.press("Enter")
        P.dialog(frame).wait_for(state="visible")
        P.choose(frame, "post-anyway")
        assert P.wait_posted(frame) == [DRAFT]
        assert P.field_text(frame, LIVE_CHAT) == ""
    finally:
        page.close()
