"""The OS's reasons in Vietnamese (policy/os_reasons_vi.py): known errno values, the rest as is."""

from __future__ import annotations

import errno
import os
import socket

import pytest

from policy.os_reasons_vi import reason, reason_text
from policy.pack_errors_vi import vietnamese

COMMON = (
    errno.EACCES,
    errno.EPERM,
    errno.EADDRINUSE,
    errno.EADDRNOTAVAIL,
    errno.ENOENT,
    errno.ENOTDIR,
    errno.EISDIR,
    errno.ENOSPC,
    errno.EROFS,
)


@pytest.mark.parametrize("code", COMMON, ids=[errno.errorcode[c] for c in COMMON])
def test_a_common_reason_reads_in_vietnamese_and_stays_as_the_os_says_in_english(code):
    error = OSError(code, os.strerror(code))
    vi = reason(error, "vi")
    assert vi != os.strerror(code) and vi.isascii() is False
    assert reason(error, "en") == os.strerror(code)
    assert reason_text(os.strerror(code)) == vi  # the same, from the words alone


def test_a_reason_the_table_does_not_know_stays_as_the_os_said_it():
    error = OSError(errno.ECHILD, os.strerror(errno.ECHILD))
    assert reason(error, "vi") == reason(error, "en") == os.strerror(errno.ECHILD)
    assert reason_text("Something the OS says") == "Something the OS says"
    assert reason(OSError("no errno at all"), "vi") == "no errno at all"


def test_a_host_name_that_does_not_resolve_is_not_read_as_an_errno():
    # getaddrinfo's codes are not errno values (on some systems they share numbers).
    error = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    assert reason(error, "vi") == "không tìm thấy tên máy đó"
    assert reason(error, "en") == "Name or service not known"


def test_a_pack_file_that_cannot_be_read_says_the_reason_in_vietnamese():
    said = vietnamese(f"cannot read file: {os.strerror(errno.EISDIR)}")
    assert said == "không đọc được tệp: đó là một thư mục"
    assert (
        vietnamese("cannot read list: Exotic failure") == "không đọc được danh sách: Exotic failure"
    )
