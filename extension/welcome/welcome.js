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
})(globalThis.Rasoat);
