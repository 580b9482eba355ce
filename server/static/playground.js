/** Playground: sends the draft to /api/v1/check as the user types and underlines the findings.
 *  Offsets from the API are UTF-16 code units, which is exactly how JavaScript indexes strings. */
"use strict";

const STRINGS = {
  vi: {
    title: "Rà soát bản nháp trước khi đăng", language: "Ngôn ngữ", draft: "Bản nháp",
    intro: "Gõ hoặc dán bản nháp. Nội dung chỉ được gửi tới máy chủ này để kiểm tra, không được lưu hay ghi nhật ký.",
    placeholder: "Ví dụ: Cần bán nick fb giá rẻ, ib mình", token: "Mã truy cập (token) của máy chủ",
    preview: "Bản nháp đã đánh dấu", footer: "API: POST /api/v1/check · Tài liệu: ",
    none: "Không thấy vấn đề nào.", checking: "Đang kiểm tra…", found: (n) => `${n} vấn đề`,
    incomplete: " (kết quả có thể chưa đầy đủ)", offline: "Không kết nối được máy chủ.",
    needToken: "Máy chủ yêu cầu mã truy cập.", wrongToken: "Máy chủ không chấp nhận mã truy cập này.",
    tooLong: "Bản nháp dài hơn mức máy chủ này kiểm tra; hãy rút ngắn rồi thử lại.",
    failed: (status) => `Máy chủ không kiểm tra được bản nháp (HTTP ${status}).`,
    suggest: "Gợi ý", basis: "Căn cứ",
    error: "lỗi", warning: "cảnh báo", info: "lưu ý",
  },
  en: {
    title: "Check a draft before you post", language: "Language", draft: "Draft",
    intro: "Type or paste a draft. It is sent only to this server to be checked, never stored or logged.",
    placeholder: "For example: Cần bán nick fb giá rẻ, ib mình", token: "Server access token",
    preview: "Your draft, marked", footer: "API: POST /api/v1/check · Docs: ",
    none: "No problems found.", checking: "Checking…", found: (n) => `${n} problem${n === 1 ? "" : "s"}`,
    incomplete: " (results may be incomplete)", offline: "Cannot reach the server.",
    needToken: "The server needs an access token.", wrongToken: "The server does not accept this access token.",
    tooLong: "The draft is longer than this server checks; shorten it and try again.",
    failed: (status) => `The server could not check the draft (HTTP ${status}).`,
    suggest: "Suggestion", basis: "Legal basis",
    error: "error", warning: "warning", info: "note",
  },
};
const RANK = { info: 0, warning: 1, error: 2 };
const $ = (id) => document.getElementById(id);
let lang = "vi";
let timer = 0;
let sequence = 0;

/** Apply the UI language to every element marked data-i18n. */
function translate() {
  const t = STRINGS[lang];
  document.documentElement.lang = lang;
  document.title = `Rasoat — ${t.title}`;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t[el.dataset.i18n];
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) {
    el.placeholder = t[el.dataset.i18nPlaceholder];
  }
}

/** Split the text at every finding boundary; each piece takes the worst severity covering it. */
function renderPreview(text, matches) {
  const cuts = new Set([0, text.length]);
  for (const m of matches) { cuts.add(m.offset); cuts.add(m.offset + m.length); }
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  const preview = $("preview");
  preview.replaceChildren();
  for (let i = 0; i < points.length - 1; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const covering = matches.filter((m) => m.offset <= from && m.offset + m.length >= to);
    const piece = text.slice(from, to);
    if (!covering.length) { preview.append(piece); continue; }
    const worst = covering.reduce((a, b) => (RANK[b.severity] > RANK[a.severity] ? b : a));
    const mark = document.createElement("mark");
    mark.className = worst.severity;
    mark.title = covering.map((m) => `${m.code}: ${m.message}`).join("\n");
    mark.textContent = piece;
    preview.append(mark);
  }
}

/** List each finding: severity, code, message, suggestions and legal basis. */
function renderList(matches) {
  const t = STRINGS[lang];
  const list = $("findings");
  list.replaceChildren();
  for (const m of matches) {
    const li = document.createElement("li");
    const sev = document.createElement("span");
    sev.className = `sev ${m.severity}`;
    sev.textContent = t[m.severity] || m.severity;
    const code = document.createElement("code");
    code.textContent = m.code;
    li.append(sev, code, ` ${m.message}`);
    if (m.suggestions.length) li.append(document.createElement("br"), `${t.suggest}: ${m.suggestions.join(" · ")}`);
    if (m.legal_basis.length) {
      const basis = document.createElement("div");
      basis.className = "muted";
      basis.textContent = `${t.basis}: ${m.legal_basis.join("; ")}`;
      li.append(basis);
    }
    list.append(li);
  }
}

/** Show why there are no findings to show: the preview and the list are emptied, so findings of
 *  an earlier draft never stand beside a message about this one. */
function fail(message) {
  renderPreview("", []);
  renderList([]);
  $("status").textContent = message;
}

/** The message for an error answer, in the page's language (the service's own is in English). */
function failure(t, status, body) {
  if (status === 401) return $("token").value ? t.wrongToken : t.needToken;
  if (status === 413) return t.tooLong;
  const detail = body && body.error && body.error.message;
  return t.failed(status) + (detail ? ` ${detail}` : "");
}

/** POST the draft; stale answers (an older request finishing late) are dropped. */
async function check() {
  const t = STRINGS[lang];
  const text = $("draft").value.toWellFormed ? $("draft").value.toWellFormed() : $("draft").value;
  const mine = ++sequence;
  if (!text.trim()) { fail(""); return; }
  $("status").textContent = t.checking;
  const headers = { "Content-Type": "application/json" };
  if ($("token").value) headers.Authorization = `Bearer ${$("token").value}`;
  let response;
  let body = null;
  try {
    response = await fetch("/api/v1/check", { method: "POST", headers, body: JSON.stringify({ text, lang }) });
    // A proxy in front of the service may answer an HTML page: no body, the status still says why.
    body = await response.json().catch(() => null);
  } catch {
    if (mine === sequence) fail(t.offline);
    return;
  }
  if (mine !== sequence) return;
  if (response.status === 401) $("token-row").hidden = false;
  if (!response.ok || !body || !Array.isArray(body.matches)) { fail(failure(t, response.status, body)); return; }
  $("pack").textContent = `${body.pack.id} ${body.pack.version}`;
  renderPreview(text, body.matches);
  renderList(body.matches);
  $("status").textContent = (body.matches.length ? t.found(body.matches.length) : t.none) +
    (body.incomplete ? t.incomplete : "");
}

function schedule() { clearTimeout(timer); timer = setTimeout(check, 250); }

document.addEventListener("DOMContentLoaded", () => {
  if (navigator.language && !navigator.language.startsWith("vi")) { lang = "en"; $("lang").value = "en"; }
  translate();
  $("lang").addEventListener("change", () => { lang = $("lang").value; translate(); check(); });
  $("draft").addEventListener("input", schedule);
  $("token").addEventListener("input", schedule);
});
