"""The operating system's reasons (errno) in Vietnamese, for the Vietnamese line of an error.

An error that quotes the OS ("Permission denied", "Address already in use") keeps its English in
the English line; the Vietnamese line says the common ones in Vietnamese (`rasoat`'s pack errors,
`python -m server`'s start-up errors). A reason this table does not know stays as the OS said it.
"""

from __future__ import annotations

import errno
import os
import socket

# errno → Vietnamese: what a start-up or a pack load runs into (a file, a folder, a port).
_ERRNO = {
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "thao tác không được phép",
    errno.EADDRINUSE: "địa chỉ đang được dùng",
    errno.EADDRNOTAVAIL: "máy này không có địa chỉ đó",
    errno.EAFNOSUPPORT: "máy này không hỗ trợ loại địa chỉ đó",
    errno.ENOENT: "không có tệp hay thư mục đó",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.EISDIR: "đó là một thư mục",
    errno.ENOSPC: "thiết bị đã hết chỗ trống",
    errno.EDQUOT: "đã vượt hạn mức dung lượng đĩa",
    errno.EROFS: "hệ thống tệp chỉ cho đọc",
    errno.EEXIST: "tệp đã tồn tại",
    errno.ENAMETOOLONG: "tên tệp quá dài",
    errno.ELOOP: "quá nhiều liên kết tượng trưng lồng nhau",
    errno.EMFILE: "quá nhiều tệp đang mở",
    errno.EBUSY: "thiết bị hoặc tài nguyên đang bận",
    errno.EINVAL: "đối số không hợp lệ",
    errno.EIO: "lỗi vào/ra",
}

# A host name that does not resolve (`--host`): getaddrinfo's codes, which are not errno values
# (and on some systems share their numbers), so a table of their own.
_GAI = {
    code: vi
    for name, vi in (
        ("EAI_NONAME", "không tìm thấy tên máy đó"),
        ("EAI_AGAIN", "tạm thời không tra được tên máy đó"),
    )
    if (code := getattr(socket, name, None)) is not None
}

# The same reasons as the C library words them (`OSError.strerror`), for messages that carry only
# the text (the loader's `cannot read file: <reason>`).
_BY_TEXT = {os.strerror(code): vi for code, vi in _ERRNO.items()}


def reason(error: OSError, lang: str) -> str:
    """Why `error` happened, as the OS says it (`lang` "en") or in Vietnamese (`lang` "vi", the
    OS's words when this table does not know its errno)."""
    said = error.strerror or str(error)
    if lang != "vi" or error.errno is None:
        return said
    table = _GAI if isinstance(error, socket.gaierror) else _ERRNO
    return table.get(error.errno, said)


def reason_text(text: str) -> str:
    """An OS reason already put into words (`OSError.strerror`) in Vietnamese, or `text` itself
    when this table does not know it."""
    return _BY_TEXT.get(text, text)
