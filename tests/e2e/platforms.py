"""The fixture platforms: where each compose box is and how its site sends a post."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Platform:
    name: str
    editor: str  # Playwright selector of the compose box
    post: str | None  # selector of the Post/Send control; None: Enter sends
    kind: str  # lexical | draft | quill | contenteditable | textarea

    @property
    def enter_sends(self) -> bool:
        return self.post is None


LEXICAL = 'div[role="textbox"][contenteditable="true"][data-lexical-editor="true"]'

PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform("facebook", LEXICAL, 'div[role="button"][aria-label="Đăng"]', "lexical"),
        Platform("threads", LEXICAL, 'div[role="button"]:has-text("Post")', "lexical"),
        Platform("messenger", LEXICAL, None, "lexical"),
        Platform(
            "instagram", "#comment-form textarea", '#comment-form div[role="button"]', "textarea"
        ),
        Platform(
            "x", '[data-testid="tweetTextarea_0"]', 'button[data-testid="tweetButton"]', "draft"
        ),
        Platform("linkedin", "div.ql-editor", "button.share-actions__primary-action", "quill"),
        Platform("zalo", "#chat-input-container-id #richInput", None, "contenteditable"),
        Platform("reddit", 'textarea[name="body"]', 'button[type="submit"]', "textarea"),
        Platform(
            "youtube",
            "#contenteditable-root",
            '#submit-button button[aria-label="Bình luận"]',
            "contenteditable",
        ),
    )
}

# A site no adapter knows (tests/e2e/fixtures/pages/forum.html, served as dien-dan.noibo.vn): the
# extension runs there only once the user adds it. Not in PLATFORMS, whose tests expect the
# extension on from the start.
FORUM = Platform("forum", 'textarea[name="noi-dung"]', 'button[type="submit"]', "textarea")
