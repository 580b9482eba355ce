/** First-run page: says plainly where drafts go (the configured service URL) and that nothing is kept. */
(async function (R) {
  "use strict";
  const reply = await R.initPage();
  const url = (reply.settings && reply.settings.serviceUrl) || "http://127.0.0.1:8765";
  const where = document.getElementById("where");
  const [before, after] = R.t("welcomeWhereBody").split("$1");
  const code = document.createElement("code");
  code.textContent = url;
  where.replaceChildren(before || "", code, after || "");
  // The keyboard shortcut that opens the findings, as the browser has it (none if it was taken).
  const commands = chrome.commands ? await chrome.commands.getAll().catch(() => []) : [];
  const shortcut = (commands.find((c) => c.name === R.SHOW_FINDINGS_COMMAND) || {}).shortcut;
  if (shortcut) {
    const [pre, post] = R.t("welcomeKeyboard").split("$1");
    const kbd = document.createElement("kbd");
    kbd.textContent = shortcut;
    const keyboard = document.getElementById("keyboard");
    keyboard.replaceChildren(pre || "", kbd, post || "");
    keyboard.hidden = false;
  }
})(globalThis.Rasoat);
