"""The loader's pack errors in Vietnamese, for `rasoat --lang vi` (the default).

`PackError.message` is English (`tests/policy/test_loader_errors.py` pins each one, and the
service logs it); the CLI speaks `--lang`. One table reads each kind of message back: key names,
values and file paths stay as written (they are what the author types), the words around them
are translated. A message no pattern knows is shown as it is.
"""

from __future__ import annotations

import re

from .os_reasons_vi import reason_text

# (English message, as a pattern over the whole of it; Vietnamese, with the pattern's groups).
# Groups named in _NESTED are messages themselves ("`extends` 'x': <why>"), read back in turn;
# an `os_reason` group is the OS's ("Is a directory"), read back by policy/os_reasons_vi.py.
_TABLE = (
    (
        r"not valid UTF-8 \(save the file as UTF-8 in your editor\)",
        "không phải UTF-8 hợp lệ (hãy lưu tệp dưới dạng UTF-8 trong trình soạn thảo)",
    ),
    (r"cannot read file: (?P<os_reason>.*)", "không đọc được tệp: {os_reason}"),
    (r"cannot read list: (?P<os_reason>.*)", "không đọc được danh sách: {os_reason}"),
    (
        r"lines end with a lone CR .*",
        "các dòng kết thúc bằng một ký tự CR đơn lẻ (kiểu xuống dòng của máy Mac cũ), TOML không "
        "chấp nhận; hãy lưu tệp với kiểu xuống dòng LF hoặc CRLF",
    ),
    (r"invalid TOML: nested too deeply", "TOML không hợp lệ: lồng nhau quá sâu"),
    (
        r"invalid TOML: (?P<detail>.*) at the end of the file: a \[ list, \{ table or quoted "
        r"string above is left open",
        "TOML không hợp lệ: {detail} ở cuối tệp: một danh sách [, bảng {{ hoặc chuỗi trong ngoặc "
        "kép ở phía trên chưa được đóng",
    ),
    (r"invalid TOML: (?P<detail>.*)", "TOML không hợp lệ: {detail}"),
    (
        r"`(?P<key>[^`]+)` must be a table of languages \((?P<langs>.*)\)",
        "`{key}` phải là một bảng theo ngôn ngữ ({langs})",
    ),
    (
        r"`(?P<key>[^`]+)` has unknown language (?P<got>.+); valid: (?P<valid>.*)",
        "`{key}` có ngôn ngữ không hợp lệ {got}; hợp lệ: {valid}",
    ),
    (
        r"`(?P<key>[^`]+)` needs a non-empty text for (?P<langs>.*)",
        "`{key}` thiếu nội dung cho {langs}",
    ),
    (
        r"`(?P<key>[^`]+)` must be a list of non-empty strings",
        "`{key}` phải là một danh sách các chuỗi không rỗng",
    ),
    (r"`(?P<key>[^`]+)` must not be empty", "`{key}` không được để trống"),
    (r"`(?P<key>[^`]+)` must be a non-empty string", "`{key}` phải là một chuỗi không rỗng"),
    (r"`(?P<key>[^`]+)` must be true or false", "`{key}` phải là true hoặc false"),
    (
        r"`(?P<key>[^`]+)` must be a date such as (?P<example>\S+)",
        "`{key}` phải là một ngày, ví dụ {example}",
    ),
    (
        r"unknown key `(?P<key>[^`]+)` in (?P<where>.+?); valid keys: (?P<valid>.*?)"
        r"(?P<hint> \(`[^`]+` is a key of the file itself: .*\))?",
        "khóa `{key}` không hợp lệ trong {where}; các khóa hợp lệ: {valid}{hint}",
    ),
    (
        r" \(`(?P<key>[^`]+)` is a key of the file itself: .*\)",
        " (`{key}` là khóa của chính tệp: hãy chuyển nó lên trên tiêu đề [bảng] đầu tiên, vì mọi "
        "khóa viết dưới một tiêu đề đều thuộc bảng đó)",
    ),
    (r"a `(?P<type>\w+)` rule", "quy tắc `{type}`"),
    (r"an example", "một ví dụ"),
    (
        r"phrases_file (?P<file>.+) not found \(relative to (?P<folder>.*)\)",
        "không tìm thấy phrases_file {file} (tính từ {folder})",
    ),
    (
        r"unknown placeholder (?P<name>\{.*\}) in `(?P<key>[^`]+)`; valid: (?P<valid>.*)",
        "chỗ điền {name} trong `{key}` không hợp lệ; hợp lệ: {valid}",
    ),
    (
        r"placeholder (?P<name>\{\w+) in `(?P<key>[^`]+)` has no closing \}; valid: (?P<valid>.*)",
        "chỗ điền {name} trong `{key}` thiếu dấu }} đóng; hợp lệ: {valid}",
    ),
    (
        r"regex in `(?P<key>[^`]+)` (?P<regex>.+) repeats too much: .* more than "
        r"(?P<n>[\d,]+) copies",
        "biểu thức chính quy trong `{key}` {regex} lặp quá nhiều: các phép lặp có đếm ({{n}}, "
        "{{m,n}}) tạo ra hơn {n} bản sao",
    ),
    (
        r"regex in `(?P<key>[^`]+)` (?P<regex>.+) is nested too deeply",
        "biểu thức chính quy trong `{key}` {regex} lồng nhau quá sâu",
    ),
    (
        r"regex in `(?P<key>[^`]+)` (?P<regex>.+) matches the empty string",
        "biểu thức chính quy trong `{key}` {regex} khớp với cả chuỗi rỗng",
    ),
    (
        r"invalid regex in `(?P<key>[^`]+)` (?P<regex>'.*'|\".*\"): (?P<detail>.*)",
        "biểu thức chính quy không hợp lệ trong `{key}` {regex}: {detail}",
    ),
    (
        r"option `(?P<key>[^`]+)` of detector (?P<det>\S+) must be true or false, got (?P<got>.*)",
        "tùy chọn `{key}` của bộ dò {det} phải là true hoặc false, đang là {got}",
    ),
    (
        r"option `(?P<key>[^`]+)` of detector (?P<det>\S+): unknown kind (?P<got>.+); "
        r"valid: (?P<valid>.*)",
        "tùy chọn `{key}` của bộ dò {det}: loại {got} không hợp lệ; hợp lệ: {valid}",
    ),
    (
        r"unknown option `(?P<key>[^`]+)` for detector (?P<det>\S+); valid: (?P<valid>.*)",
        "bộ dò {det} không có tùy chọn `{key}`; hợp lệ: {valid}",
    ),
    (
        r"`examples` must be an array of tables \(\[\[examples\]\]\)",
        "`examples` phải là một mảng các bảng ([[examples]])",
    ),
    (r"each example must be a table", "mỗi ví dụ phải là một bảng"),
    (
        r"an example needs exactly one of `bad` or `good`",
        "mỗi ví dụ cần đúng một trong hai khóa `bad` hoặc `good`",
    ),
    (
        r"`severity` applies to bad examples only: .*",
        "`severity` chỉ dùng cho ví dụ vi phạm (bad): một ví dụ hợp lệ (good) không được làm quy "
        "tắc báo gì; bản nháp mà một khung (frame) hạ xuống mức info hãy viết thành ví dụ bad "
        'với severity = "info"',
    ),
    (
        r"a bad example must mark its expected span once with \[\[…\]\]",
        "ví dụ vi phạm (bad) phải đánh dấu đúng một lần đoạn cần báo, bằng [[…]]",
    ),
    (
        r"the \[\[…\]\] markers of a bad example are nested; .*",
        "các dấu [[…]] của ví dụ vi phạm (bad) lồng vào nhau; hãy đánh dấu đoạn cần báo một lần, "
        "bằng một [[ và một ]]",
    ),
    (r"the \[\[…\]\] span of a bad example is empty", "đoạn [[…]] của ví dụ vi phạm đang rỗng"),
    (r"a good example must not mark a span", "ví dụ hợp lệ (good) không được đánh dấu đoạn nào"),
    (
        r"`type` must be one of: (?P<valid>.*) \(got (?P<got>.*)\)",
        "`type` phải là một trong: {valid} (đang là {got})",
    ),
    (
        r"`code` must look like ACC001 \(three capitals, three digits\), got (?P<got>.*)",
        "`code` phải có dạng ACC001 (ba chữ in hoa, ba chữ số), đang là {got}",
    ),
    (
        r"`(?P<key>name|id)` must be (?:a )?kebab-case(?: string)?, got (?P<got>.*)",
        "`{key}` phải viết kiểu kebab-case (chữ thường và số, nối bằng dấu -), đang là {got}",
    ),
    (
        r"`name` (?P<name>.+) must equal the file name (?P<stem>.+)",
        "`name` {name} phải trùng với tên tệp {stem}",
    ),
    (
        r"code (?P<code>\S+) of category (?P<category>\S+) must start with (?P<prefix>\S+)",
        "mã {code} thuộc nhóm {category} phải bắt đầu bằng {prefix}",
    ),
    (
        r"rule of category (?P<category>.+) is in (?P<folder>.+/), not in (?P<home>.+/): a rule "
        r"file belongs in rules/<category>/<name>\.toml",
        "quy tắc thuộc nhóm {category} lại nằm trong {folder}, không phải trong {home}: tệp quy "
        "tắc phải nằm trong rules/<nhóm>/<tên>.toml",
    ),
    (
        r"rule of category (?P<category>.+) is in folder (?P<folder>.+)",
        "quy tắc thuộc nhóm {category} lại nằm trong thư mục {folder}",
    ),
    (
        r"unknown (?P<what>severity|status|category|order|detector|frame|frame_action|"
        r"frame scope|instrument|language) (?P<got>.+?); valid: (?P<valid>.*)",
        "{what} {got} không hợp lệ; hợp lệ: {valid}",
    ),
    (
        r"missing `(?P<key>[^`]+)` \(a table with vi and en\)",
        "thiếu `{key}` (một bảng có vi và en)",
    ),
    (r"missing \[doc\] table with (?P<keys>.*)", "thiếu bảng [doc] với {keys}"),
    (r"\[doc\] is missing `(?P<key>[^`]+)`", "bảng [doc] thiếu `{key}`"),
    (
        r"a rule needs at least one \[\[legal_basis\]\] \(instrument \+ article\)",
        "mỗi quy tắc cần ít nhất một [[legal_basis]] (instrument + article)",
    ),
    (r"\[\[legal_basis\]\] entries must be tables", "các mục [[legal_basis]] phải là bảng"),
    (r"`phrases_file` must be a path string", "`phrases_file` phải là một đường dẫn (chuỗi)"),
    (
        r"a `phrases` rule needs `phrases` or `phrases_file`",
        "quy tắc `phrases` cần `phrases` hoặc `phrases_file`",
    ),
    (r"a `(?P<type>\w+)` rule needs `(?P<key>\w+)`", "quy tắc `{type}` cần `{key}`"),
    (
        r"`window` must be an integer from 1 to 50 \(words\)",
        "`window` phải là số nguyên từ 1 đến 50 (số từ)",
    ),
    (r"`options` must be a table", "`options` phải là một bảng"),
    (
        r"`yields_to` lists the rule's own code (?P<code>\S+)",
        "`yields_to` liệt kê chính mã {code} của quy tắc này",
    ),
    (
        r"`yields_to`: unknown rule code\(s\) (?P<codes>.*); valid: codes of this pack and the "
        r"packs it extends",
        "`yields_to`: không có quy tắc mang mã {codes}; hợp lệ: mã của gói này và của các gói "
        "nó mở rộng",
    ),
    (
        r"`context` must be a table \{phrases = \[\.\.\.\], window = N\}",
        "`context` phải là một bảng {{phrases = [...], window = N}}",
    ),
    (r"`context` needs `phrases`", "`context` cần `phrases`"),
    (
        r"`context\.window` must be 1–50 \(words\) or \"sentence\"",
        '`context.window` phải từ 1 đến 50 (số từ) hoặc "sentence"',
    ),
    (r"`extends` forms a cycle: (?P<chain>.*)", "`extends` tạo thành vòng lặp: {chain}"),
    (
        r"`version` must be a string such as \"0\.1\.0\"",
        '`version` phải là một chuỗi, ví dụ "0.1.0"',
    ),
    (
        r"`extends` must be a pack id or a relative path",
        "`extends` phải là mã của một gói hoặc một đường dẫn tương đối",
    ),
    (r"`extends` (?P<got>'[^']*'|\"[^\"]*\"): (?P<inner>.*)", "`extends` {got}: {inner}"),
    (
        r"no pack here \(a folder with pack\.toml\); shipped packs: (?P<shipped>.*)",
        "không có gói quy tắc nào ở đây (một thư mục có pack.toml); các gói đi kèm: {shipped}",
    ),
    (
        r"`(?P<key>[^`]+)` must be a table of tables",
        "`{key}` phải là một bảng gồm các bảng",
    ),
    (r"\[(?P<table>[^\]]+)\] must be a table", "[{table}] phải là một bảng"),
    (r"\[(?P<table>[^\]]+)\] needs a `number`", "[{table}] cần `number`"),
    (
        r"frame `(?P<key>\w+)` must be an integer from (?P<low>\d+) to (?P<high>\d+)",
        "`{key}` của khung phải là số nguyên từ {low} đến {high}",
    ),
    (
        r"not read: a rule file belongs in rules/<category>/<name>\.toml \(of (?P<folder>.*)\); "
        r"move it there, or rename it if it is not a rule",
        "không được đọc: tệp quy tắc phải nằm trong rules/<nhóm>/<tên>.toml (của {folder}); hãy "
        "chuyển nó vào đó, hoặc đổi tên nếu nó không phải là quy tắc",
    ),
    (r"code (?P<code>\S+) is already used by (?P<path>.*)", "mã {code} đã được dùng ở {path}"),
    (r"name (?P<name>\S+) is already used by (?P<path>.*)", "tên {name} đã được dùng ở {path}"),
    (
        r"phrase (?P<phrase>.+) in `(?P<key>[^`]+)` holds a line break, and a phrase never "
        r"matches across one; write it on one line",
        "cụm từ {phrase} trong `{key}` có dấu xuống dòng, mà một cụm từ không bao giờ khớp qua "
        "chỗ xuống dòng; hãy viết nó trên một dòng",
    ),
    (
        r"the line holds (?P<char>U\+[0-9A-F]{4}) \((?P<name>[^)]*)\), which some editors show as "
        r"a line break and others do not; put one phrase per line, with ordinary line breaks",
        "dòng này có ký tự {char} ({name}), mà trình soạn thảo này hiện thành xuống dòng, trình "
        "khác thì không; hãy viết mỗi cụm từ trên một dòng, xuống dòng bằng Enter thông thường",
    ),
    (
        r"(?P<glued>.+) after a space or at the start of a line: is it a comment without the "
        r"space after `#`, or a hashtag in the phrase\? .*",
        "{glued} đứng sau khoảng trắng hoặc ở đầu dòng: đây là chú thích thiếu khoảng trắng sau "
        "`#`, hay một hashtag trong cụm từ? Chú thích thì viết `# ` (có khoảng trắng), còn dấu "
        "`#` thuộc cụm từ thì viết `\\#` (một hashtag đứng riêng một dòng, `#bannick`, không "
        "cần `\\`)",
    ),
    # Raised by the engine while it compiles the pack (policy/matcher.py).
    (
        r"phrase (?P<phrase>.+) has no letters or digits",
        "cụm từ {phrase} không có chữ cái hay chữ số nào",
    ),
    (r"frame (?P<name>\S+): (?P<inner>.*)", "khung {name}: {inner}"),
)
_PATTERNS = tuple((re.compile(english, re.S), vi) for english, vi in _TABLE)
_NESTED = ("inner", "where", "hint")


def _part(name: str, value: str) -> str:
    if name in _NESTED:
        return vietnamese(value) or value
    if name == "os_reason":
        return reason_text(value)
    return value


def vietnamese(message: str) -> str | None:
    """`message` (a PackError's, in English) in Vietnamese; None when no pattern knows it."""
    for pattern, vi in _PATTERNS:
        m = pattern.fullmatch(message)
        if m is not None:
            parts = {name: _part(name, value) for name, value in m.groupdict(default="").items()}
            return vi.format(**parts)
    return None
