/** platforms.js: Post/Send controls by attribute and by vi/en label, compose boxes, Enter-to-send. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const R = require("../../extension/content/platforms.js");
const { h } = require("./dom-stub.js");

test("Post/Send labels match in Vietnamese and English, whatever the case, spacing or Unicode form", () => {
  for (const label of ["Đăng", "đăng", "  ĐĂNG ", "Đăng".normalize("NFD"), "Gửi", "GỬI", "Trả lời", "Bình luận",
    "Post", "Send", "Tweet", "Reply", "Comment", "Đăng bài", "Chia sẻ ngay", "Post…", "Nhấn Enter để gửi",
    "Press Enter to send"]) {
    assert.ok(R.isPostLabel(label), label);
  }
});

test("labels that only start like Post are not Post (log in, sign up, drafts, settings)", () => {
  for (const label of ["Đăng nhập", "Đăng ký", "Bài đăng", "Postpone", "Gửi lời mời kết bạn", "Sending", "", null]) {
    assert.ok(!R.isPostLabel(label), String(label));
  }
});

test("a control's label is its aria-label, else an input's value, else its text", () => {
  assert.equal(R.controlLabel(h("div", { role: "button", "aria-label": "Đăng" }, "icon")), "Đăng");
  assert.equal(R.controlLabel(Object.assign(h("input", { type: "submit" }), { value: "Gửi" })), "Gửi");
  assert.equal(R.controlLabel(h("button", {}, h("span", {}, "Post"))), "Post");
});

test("Post controls are found by attribute first, then by label on button-like elements", () => {
  assert.ok(R.isPostControl(h("button", { "data-testid": "tweetButton" }, "Đăng bài ngay bây giờ")));
  assert.ok(R.isPostControl(h("div", { class: "send-btn", "data-translate-title": "STR_SEND" }, "GỬI")));
  assert.ok(R.isPostControl(h("div", { role: "button", "aria-label": "Đăng" })));
  assert.ok(R.isPostControl(h("button", { class: "post" }, "Bình luận")));
  assert.ok(!R.isPostControl(h("div", {}, "Đăng")), "a plain div with the word is not a control");
  assert.ok(!R.isPostControl(h("button", {}, "Huỷ")));
});

test("a click on the icon inside a Post control finds the control; clicks inside the editor never do", () => {
  const icon = h("svg");
  const control = h("div", { role: "button", "aria-label": "Post" }, h("span", {}, icon));
  assert.equal(R.postControlFrom(icon), control);
  const editor = h("div", { contenteditable: "true", role: "textbox" }, h("p", {}, h("span", {}, "Post")));
  assert.equal(R.postControlFrom(editor.childNodes[0].childNodes[0]), null);
});

test("the Post control belongs to the compose box next to it, not to one elsewhere on the page", () => {
  const field = h("div", { contenteditable: "true", "data-lexical-editor": "true" });
  const post = h("div", { role: "button", "aria-label": "Đăng" });
  const composer = h("div", { role: "dialog" }, h("div", {}, field), h("div", {}, post));
  const otherPost = h("div", { role: "button", "aria-label": "Đăng" });
  const body = h("body", {}, composer, h("div", {}, otherPost));
  h("html", {}, body);
  field.ownerDocument = { body, documentElement: body.parentNode };
  assert.ok(R.belongsTo(post, field));
  assert.ok(!R.belongsTo(otherPost, field));
  assert.equal(R.findPostControl(field), post, "the nearest control searching outwards from the editor");
});

test("a feed post's action bar above its comment box is not the comment's send; the box's own button is", () => {
  const field = h("div", { contenteditable: "true", "data-lexical-editor": "true", "aria-label": "Viết bình luận..." });
  const share = h("div", { role: "button", "aria-label": "Chia sẻ" });
  const commentAction = h("div", { role: "button", "aria-label": "Bình luận" });
  const send = h("div", { role: "button", "aria-label": "Bình luận" });
  const article = h("div", { role: "article" },
    h("div", { role: "toolbar" }, commentAction, share),
    h("form", {}, h("div", {}, field), h("div", {}, send)));
  const body = h("body", {}, article);
  h("html", {}, body);
  field.ownerDocument = { body, documentElement: body.parentNode };
  assert.ok(R.isPostControl(share) && R.isPostControl(commentAction), "their labels are Post labels");
  assert.ok(!R.belongsTo(share, field));
  assert.ok(!R.belongsTo(commentAction, field));
  assert.ok(R.belongsTo(send, field));
  // Without a form around the box, a control after it still belongs (a close relative).
  const bare = h("div", {}, h("div", { role: "toolbar" }, share), h("div", {}, field), h("div", {}, send));
  h("html", {}, h("body", {}, bare));
  assert.ok(!R.belongsTo(share, field));
  assert.ok(R.belongsTo(send, field));
});

test("fieldFor: known compose boxes are checked even with spellcheck=false; elsewhere that opts out", () => {
  const zalo = h("div", { id: "richInput", contenteditable: "true", spellcheck: "false" });
  assert.equal(R.fieldFor(zalo), zalo);
  const lexical = h("div", { contenteditable: "true", "data-lexical-editor": "true", spellcheck: "false" }, h("p", {}, "x"));
  assert.equal(R.fieldFor(lexical.childNodes[0]), lexical, "a paragraph inside resolves to the editing host");
  assert.equal(R.fieldFor(h("div", { contenteditable: "true", spellcheck: "false" })), null);
  const ta = h("textarea", { name: "body" });
  assert.equal(R.fieldFor(ta), ta);
});

test("fieldFor: data-rasoat=off always opts out; passwords, search boxes and read-only fields are skipped", () => {
  const off = h("div", { "data-rasoat": "off" }, h("div", { contenteditable: "true", "data-lexical-editor": "true" }));
  assert.equal(R.fieldFor(off.childNodes[0]), null);
  assert.equal(R.fieldFor(h("input", { type: "password" })), null);
  assert.equal(R.fieldFor(h("input", { type: "search" })), null);
  assert.equal(R.fieldFor(h("input", { type: "text", role: "combobox" })), null);
  assert.equal(R.fieldFor(Object.assign(h("textarea"), { readOnly: true })), null);
  const text = h("input", {});
  assert.equal(R.fieldFor(text), text, "an input without type is a text input");
  assert.equal(R.fieldFor(h("div", {})), null, "not editable");
});

test("fieldFor: sign-in and contact inputs are never checked; a post's own inputs still are", () => {
  // Facebook's login box: a text input with the username hint, in a form that asks for a password.
  const login = h("input", { type: "text", name: "email", autocomplete: "username" });
  h("form", { id: "login_form" }, login, h("input", { type: "password", name: "pass" }));
  assert.equal(R.fieldFor(login), null);
  const noHint = h("input", { type: "text", name: "user" });
  h("form", {}, noHint, h("input", { type: "password" }));
  assert.equal(R.fieldFor(noHint), null, "a password in the same form is enough");
  for (const attrs of [{ autocomplete: "email" }, { autocomplete: "section-a shipping tel" },
    { autocomplete: "one-time-code" }, { autocomplete: "cc-number" }, { inputmode: "tel" }, { inputmode: "email" }]) {
    assert.equal(R.fieldFor(h("input", Object.assign({ type: "text" }, attrs))), null, JSON.stringify(attrs));
  }
  const title = h("input", { type: "text", name: "title", autocomplete: "off" });
  h("form", {}, title, h("textarea", { name: "body" }));
  assert.equal(R.fieldFor(title), title, "a post's title box is checked");
  const nickname = h("input", { type: "text", autocomplete: "nickname" });
  assert.equal(R.fieldFor(nickname), nickname, "only sign-in, contact and payment hints opt out");
});

test("Enter sends on Zalo, Messenger, comment boxes and inputs; not in Facebook's post composer or a textarea", () => {
  const key = { ctrlKey: false, metaKey: false };
  assert.ok(R.enterSends(h("div", { id: "richInput" }), "chat.zalo.me", key));
  assert.ok(R.enterSends(h("div", { "data-lexical-editor": "true" }), "www.messenger.com", key));
  assert.ok(R.enterSends(h("div", { "aria-label": "Viết bình luận..." }), "www.facebook.com", key));
  assert.ok(!R.enterSends(h("div", { "aria-label": "Bạn đang nghĩ gì?" }), "www.facebook.com", key));
  assert.ok(R.enterSends(h("input", {}), "example.com", key));
  assert.ok(!R.enterSends(h("textarea", {}), "www.reddit.com", key));
  assert.ok(R.enterSends(h("div", {}), "x.com", { ctrlKey: true }), "Ctrl+Enter posts on X");
  assert.ok(!R.enterSends(h("div", {}), "www.facebook.com", { ctrlKey: true }));
  // Reddit: Ctrl/⌘+Enter submits a comment (new and old Reddit); plain Enter is a new line.
  assert.ok(R.enterSends(h("textarea", {}), "www.reddit.com", { ctrlKey: true }));
  assert.ok(R.enterSends(h("div", { contenteditable: "true" }), "old.reddit.com", { metaKey: true }));
  // X: Enter sends a direct message (Draft.js composer or the chat's textarea), not a post.
  assert.ok(R.enterSends(h("div", { "data-testid": "dmComposerTextInput" }), "x.com", key));
  assert.ok(R.enterSends(h("textarea", { "data-testid": "dm-composer-textarea" }), "x.com", key));
  assert.ok(!R.enterSends(h("div", { "data-testid": "tweetTextarea_0" }), "x.com", key));
  // YouTube: Enter sends in the live chat, and is a new line in the comment box.
  const chat = h("div", { id: "input", contenteditable: "true" });
  h("yt-live-chat-text-input-field-renderer", {}, chat);
  assert.ok(R.enterSends(chat, "www.youtube.com", key));
  assert.ok(!R.enterSends(h("div", { id: "contenteditable-root" }), "www.youtube.com", key));
});
