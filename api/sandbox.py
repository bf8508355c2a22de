"""Limits a query worker puts on itself before it reads any request.

- :func:`deny_network`: a seccomp filter that makes ``socket(AF_INET | AF_INET6, …)``
  and ``io_uring_setup`` fail with EPERM, so nothing the engine evaluates (SERVICE,
  LOAD) can open a connection, whatever the query's spelling. Unix sockets (the pipe
  to the server) still work. Linux on x86-64 and arm64; elsewhere it reports that it
  could not apply and the server refuses to start a worker without it.
- :func:`limit_memory`: ``RLIMIT_DATA``, so a query that grows past it stops its own
  worker (the allocator aborts) instead of the machine.
- :func:`lower_priority`: a higher nice value for the workers that run long queries,
  so short queries and the server get the CPU first (it cannot be undone: a worker
  keeps its lane for life).
- :data:`STACK_BYTES`: the stack of the thread that parses and evaluates: the engine
  recurses on nesting, and the server refuses nesting deeper than it can hold.
"""

from __future__ import annotations

import ctypes
import os
import platform
import resource
import struct

STACK_BYTES = 256 * 1024 * 1024

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_AF_INET, _AF_INET6 = 2, 10
# audit arch, socket(2) and io_uring_setup(2) numbers
_ARCH = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}
_X32_BIT = 0x40000000
_LD_ABS, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
_ALLOW = 0x7FFF0000
_EPERM = 0x00050000 | 1


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def _filter(arch: int, socket_nr: int, uring_nr: int) -> list[bytes]:
    return [
        _op(_LD_ABS, 4),  # 0 arch
        _op(_JEQ, arch, 1, 0),  # 1 our ABI? -> 3
        _op(_RET, _EPERM),  # 2 any other ABI: refuse
        _op(_LD_ABS, 0),  # 3 syscall number
        _op(_JGE, _X32_BIT, 0, 1),  # 4 x32 numbers -> refuse
        _op(_RET, _EPERM),  # 5
        _op(_JEQ, uring_nr, 0, 1),  # 6 io_uring_setup -> refuse
        _op(_RET, _EPERM),  # 7
        _op(_JEQ, socket_nr, 0, 4),  # 8 socket? else -> 13
        _op(_LD_ABS, 16),  # 9 its domain (args[0], low word)
        _op(_JEQ, _AF_INET, 1, 0),  # 10 -> 12
        _op(_JEQ, _AF_INET6, 0, 1),  # 11 -> 12, else -> 13
        _op(_RET, _EPERM),  # 12
        _op(_RET, _ALLOW),  # 13
    ]


def deny_network() -> None:
    """Refuse every IPv4/IPv6 socket from now on, in this thread and the threads it starts.

    Call it before starting threads. Raises OSError when the kernel refuses the filter.
    """
    machine = platform.machine()
    if machine not in _ARCH:
        raise OSError(f"no seccomp filter for {machine}: the network cannot be closed to queries")
    program = b"".join(_filter(*_ARCH[machine]))
    buffer = ctypes.create_string_buffer(program)
    prog = _Program(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")


def limit_memory(megabytes: int) -> None:
    """Cap this process's data segment (heap and anonymous mappings) at ``megabytes``."""
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def lower_priority(increment: int) -> None:
    """Raise this process's nice value by ``increment`` (before any thread starts: on
    Linux the value is per thread, and new threads inherit it)."""
    os.nice(increment)
